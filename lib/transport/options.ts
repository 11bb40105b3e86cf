import type { Logger } from "../core/log.ts";

export interface HttpOptions {
  host: string;
  port: number;
  /** Bearer token required on every request except /healthz; undefined = no auth. */
  authToken?: string;
  /** Permit a non-loopback bind without a token. */
  allowUnauthenticated: boolean;
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes: number;
  log: Logger;
}

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
