import type { z } from "zod";
import { ConfigError } from "./errors.ts";

/**
 * Reads environment variables through zod schemas, one schema per variable, so a failure can name
 * the variable (never its value) and say what to do.
 */
export function readEnv<S extends Record<string, z.ZodType>>(
  env: Record<string, string | undefined>,
  schemas: S,
  hints: Partial<Record<keyof S, string>> = {},
): { [K in keyof S]: z.output<S[K]> } {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const raw = env[name];
    const parsed = schema.safeParse(raw === undefined || raw.trim() === "" ? undefined : raw.trim());
    if (!parsed.success) {
      const reason = parsed.error.issues[0]?.message ?? "invalid value";
      const hint = hints[name as keyof S];
      throw new ConfigError(`${name}: ${reason}${hint ? ` (${hint})` : ""}`);
    }
    out[name] = parsed.data;
  }
  return out as { [K in keyof S]: z.output<S[K]> };
}

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

/** Parses a boolean-ish environment value; undefined or blank gives the fallback. */
export function envBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === "") return fallback;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return fallback;
}

/** Strict boolean parse for a named variable: an unrecognised value is a ConfigError. */
export function envBoolStrict(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === "") return fallback;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigError(`${name}: expected true/false (1/0, yes/no, on/off)`);
}

/** The reference forms MCP clients expand in their configs (and `setup`'s placeholder for those that cannot). */
const CLIENT_REFERENCE = /^(\$\{[^}]*\}|\{env:[^}]*\}|<set [A-Za-z0-9_]+>)$/;

/**
 * When a variable's value is a client-config reference that nobody expanded (`${PTM_API_TOKEN}`,
 * `{env:X}`, `<set X>`), the sentence that says so; undefined otherwise. The reference names a variable,
 * never a secret, so quoting it is safe.
 */
export function unexpandedReference(name: string, value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v || !CLIENT_REFERENCE.test(v)) return undefined;
  return `${name} is the unexpanded reference ${v}: the MCP client did not replace it, because the variable is not set where the client runs (or the client does not expand references); set it there, or write the value into the client's config (mcpkit setup --env ${name}=…)`;
}
