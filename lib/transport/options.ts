import type { Logger } from "../core/log.ts";
import type { OAuthSettings } from "./oauth/config.ts";

export interface HttpOptions {
  host: string;
  port: number;
  /** Bearer token required on every request except /healthz; undefined = no auth. */
  authToken?: string;
  /** OAuth 2.1 resource-server mode (`--oauth-issuer`); the static token, if any, is accepted beside it. */
  oauth?: OAuthSettings;
  /** Permit a non-loopback bind without a token. */
  allowUnauthenticated: boolean;
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes: number;
  log: Logger;
}

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
