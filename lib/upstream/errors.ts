import { McpkitError } from "../core/errors.ts";

export type UpstreamErrorKind =
  | "connect" // could not start or initialize
  | "unavailable" // not connected right now (waiting to reconnect, closed)
  | "closed" // the connection dropped while a call was in flight
  | "timeout" // a call or connect attempt ran out of time
  | "cancelled"; // the caller aborted

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
