import { ConfigError } from "../../core/errors.ts";
import type { ToolHints } from "../../core/tools/annotations.ts";

/**
 * Which OAuth scopes open which class of tools. A class lists alternatives (any one is enough); `*`
 * opens the class to every valid token. A write scope also opens read-only tools.
 */
export interface ScopeMap {
  read: readonly string[];
  write: readonly string[];
}

export const DEFAULT_SCOPE_MAP_TEXT = "read=mcp:read,write=mcp:write";

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Parses `read=SCOPE[|SCOPE…],write=SCOPE[|SCOPE…]` (the `--oauth-scopes` value). A class left out
 * keeps its default.
 */
export function parseScopeMap(text: string, source = "--oauth-scopes"): ScopeMap {
  const map: { read: string[]; write: string[] } = { read: ["mcp:read"], write: ["mcp:write"] };
  const seen = new Set<string>();
  for (const part of text.split(",").map((p) => p.trim())) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const cls = (eq > 0 ? part.slice(0, eq) : "").trim().toLowerCase();
    if (cls !== "read" && cls !== "write") {
      throw new ConfigError(
        `${source}: "${part}" is not CLASS=SCOPE; use read=… and write=…, e.g. ${DEFAULT_SCOPE_MAP_TEXT}`,
      );
    }
    if (seen.has(cls)) throw new ConfigError(`${source}: the ${cls} class is given twice`);
    seen.add(cls);
    const scopes = part
      .slice(eq + 1)
      .split("|")
      .map((s) => s.trim())
      .filter(Boolean);
    if (!scopes.length) throw new ConfigError(`${source}: the ${cls} class names no scope`);
    for (const s of scopes) {
      if (s !== "*" && !SCOPE_TOKEN.test(s)) {
        throw new ConfigError(`${source}: "${s}" is not a valid OAuth scope (no spaces or quotes)`);
      }
    }
    map[cls] = scopes;
  }
  return map;
}

/** The scopes to advertise (`scopes_supported`, the challenge's `scope=`): every named one, no `*`. */
export function advertisedScopes(map: ScopeMap): string[] {
  return [...new Set([...map.read, ...map.write])].filter((s) => s !== "*");
}

/**
 * What a set of granted scopes opens. A configured scope also matches its last path segment, because Entra
 * ID is asked for `api://<app>/mcp.read` but writes `mcp.read` into the token's `scp`.
 */
export function grantedClasses(map: ScopeMap, granted: readonly string[]): { read: boolean; write: boolean } {
  const has = new Set(granted);
  const held = (s: string) => s === "*" || has.has(s) || granted.some((g) => s.endsWith(`/${g}`));
  const opens = (cls: readonly string[]) => cls.some(held);
  const write = opens(map.write);
  return { write, read: write || opens(map.read) };
}

/** The scope to name when a caller with `granted` may not use a tool with `hints`; undefined when it may. */
export function missingScopeFor(
  map: ScopeMap,
  granted: readonly string[],
  hints: ToolHints,
): string | undefined {
  const classes = grantedClasses(map, granted);
  if (hints.readOnlyHint) return classes.read ? undefined : (map.read.find((s) => s !== "*") ?? "*");
  return classes.write ? undefined : (map.write.find((s) => s !== "*") ?? "*");
}

/** Scopes a token carries: `scope` (RFC 9068, space-separated), `scp` (Entra, Okta), `roles` (Entra app roles). */
export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const key of ["scope", "scp", "roles"]) {
    const v = claims[key];
    const list = typeof v === "string" ? v.split(/\s+/) : Array.isArray(v) ? v : [];
    for (const s of list) if (typeof s === "string" && s) out.add(s);
  }
  return [...out];
}
