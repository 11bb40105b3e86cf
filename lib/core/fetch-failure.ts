/**
 * The port of `url` when `err` says the runtime refused to fetch it because the Fetch standard lists it
 * as a "bad port" (6000, 9, 25, …): Node and Deno refuse those before connecting, Bun does not.
 */
export function blockedPort(err: unknown, url: string | URL): string | undefined {
  const cause = (err as { cause?: { message?: unknown } } | undefined)?.cause;
  const message = err instanceof Error ? err.message : String(err);
  if (cause?.message !== "bad port" && !/Requests to port \d+ are blocked/i.test(message)) return undefined;
  try {
    const u = new URL(String(url));
    return u.port || (u.protocol === "https:" ? "443" : "80");
  } catch {
    return "?";
  }
}

/** What to tell a user whose backend URL uses a blocked port: the cause, then the fix. */
export function blockedPortAdvice(variable: string, port: string): string {
  return `${variable} uses port ${port}, which fetch refuses to connect to (one of the Fetch standard's "bad ports"); serve the backend on another port or put a proxy in front of it`;
}

/**
 * Why a `fetch` to a backend failed before any answer, as a short phrase for an error message:
 * "ECONNREFUSED", "ENOTFOUND", or "port 6000 is blocked by fetch" instead of a bare "bad port".
 */
export function fetchFailureReason(err: unknown, url: string | URL): string {
  const port = blockedPort(err, url);
  if (port) return `port ${port} is blocked by fetch (a Fetch-standard "bad port")`;
  const e = err as { code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  // Node puts the system error code on the cause, Bun on the error itself.
  if (typeof e?.cause?.code === "string") return e.cause.code;
  if (typeof e?.code === "string") return e.code;
  const text = typeof e?.cause?.message === "string" && e.cause.message ? e.cause.message : undefined;
  // Deno words it at length; keep the part that names the cause.
  const refused = /Connection refused/i.test(text ?? "") ? "ECONNREFUSED" : undefined;
  return refused ?? text ?? (err instanceof Error ? err.message : String(err));
}
