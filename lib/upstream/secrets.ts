import { redactor } from "../core/redact.ts";
import type { UpstreamSpec } from "./specs.ts";

const SECRET_NAME = /token|secret|passw|key|auth|cred|cookie|session|private/i;

/**
 * Registers the secret-looking values of a resolved spec (env values and headers whose names say "token",
 * "key", "authorization" …) with the redactor, so a child's stderr or an error echoing them is cleaned.
 */
export function registerSpecSecrets(spec: UpstreamSpec): void {
  const pairs =
    spec.transport === "stdio"
      ? Object.entries(spec.env)
      : spec.transport === "memory"
        ? []
        : Object.entries(spec.headers);
  for (const [name, value] of pairs) {
    if (!SECRET_NAME.test(name)) continue;
    redactor.addSecret(value);
    // "Bearer abc…" → also the bare token, which is what a server tends to echo.
    const bare = /^(?:bearer|basic|token)\s+(.+)$/i.exec(value)?.[1];
    if (bare) redactor.addSecret(bare);
  }
}
