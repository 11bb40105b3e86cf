import { createHash } from "node:crypto";
import type { UpstreamSpec } from "../../upstream/index.ts";

/** JSON with object keys sorted, so the same spec always gives the same text. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Identifies a launch spec as written (placeholders unexpanded, so no credential is hashed in clear
 * form twice): when it changes, the cached cards of that server no longer describe what would run.
 * Built-in servers are identified by name and mcpkit version. Where the spec was read from, the lazy
 * flag and the in-process factory do not change what runs and are left out.
 */
export function specHash(spec: UpstreamSpec, version: string): string {
  if (spec.transport === "memory") return `builtin:${spec.name}@${version}`;
  const { source: _s, lazy: _l, ...rest } = spec;
  return `sha256:${createHash("sha256").update(stable(rest)).digest("hex").slice(0, 32)}`;
}

/** A short fingerprint of a tool's input schema, kept in the cache to notice schema changes. */
export function schemaHash(schema: unknown): string {
  return createHash("sha256")
    .update(stable(schema ?? {}))
    .digest("hex")
    .slice(0, 16);
}
