import { SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { McpkitError } from "../core/errors.ts";

export type UpstreamErrorKind =
  | "connect" // could not start or initialize
  | "unavailable" // not connected right now (waiting to reconnect, closed)
  | "closed" // the connection dropped while a call was in flight
  | "timeout" // a call or connect attempt ran out of time
  | "cancelled" // the caller aborted
  | "protocol"; // the server answered with a message that breaks the MCP schema

/** One line from a schema failure (zod issues): where and what, at most three issues. */
export function describeSchemaIssues(err: unknown): string | undefined {
  // The v2 client reports a schema-breaking result as SdkError(INVALID_RESULT) whose message lists the issues.
  if (err instanceof SdkError && err.code === SdkErrorCode.InvalidResult) {
    return err.message.replace(/\s+/g, " ").slice(0, 300);
  }
  const issues = (err as { issues?: unknown })?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const parts = issues.slice(0, 3).map((i: { path?: unknown[]; message?: string }) => {
    const at = Array.isArray(i.path) && i.path.length ? i.path.join(".") : "(root)";
    return `${at}: ${i.message ?? "invalid"}`;
  });
  return parts.join("; ") + (issues.length > 3 ? ` (+${issues.length - 3} more)` : "");
}

/** A failure talking to one upstream server; the message always names the server. */
export class UpstreamError extends McpkitError {
  readonly server: string;
  readonly kind: UpstreamErrorKind;
  constructor(server: string, kind: UpstreamErrorKind, message: string, options?: { cause?: unknown }) {
    super(message);
    this.server = server;
    this.kind = kind;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
