import { ProtocolError, SdkHttpError, SseError } from "@modelcontextprotocol/client";

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "ENOTFOUND",
]);

/**
 * True when an error means the link to the server is broken (HTTP session gone, socket refused, pipe
 * closed) rather than that the server answered with an error. HTTP transports never "close" on their own,
 * so a failed request is how we learn the server went away.
 */
export function isTransportFailure(err: unknown): boolean {
  if (err instanceof ProtocolError) return false;
  if (err instanceof SdkHttpError || err instanceof SseError) return true;
  if (!(err instanceof Error)) return false;
  if (err.message === "Not connected") return true;
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return err instanceof TypeError && /fetch failed|network|socket/i.test(err.message);
}
