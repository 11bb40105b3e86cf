import type { UpstreamSpec } from "./specs.ts";

/** `${NAME}` or `${NAME:-default}`; a bare `$NAME` is left alone (commands and URLs use `$` literally). */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type EnvMap = Record<string, string | undefined>;

/**
 * Expands placeholders in one string. An unset variable with a default takes the default (as does an
 * empty one, like the shell's `:-`); an unset variable without a default becomes "" and is added to `missing`.
 */
export function expandString(text: string, env: EnvMap, missing: string[] = []): string {
  return text.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (fallback !== undefined) return value === undefined || value === "" ? fallback : value;
    if (value === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return "";
    }
    return value;
  });
}

function expandRecord(rec: Record<string, string>, env: EnvMap, missing: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = expandString(v, env, missing);
  return out;
}

export interface ExpandedSpec<S extends UpstreamSpec = UpstreamSpec> {
  spec: S;
  /** Variables that were referenced without a default and are not set, so callers can say "set FOO". */
  missing: string[];
}

/** Expands env values, command, args and cwd of stdio specs; url and headers of remote ones. */
export function expandSpec<S extends UpstreamSpec>(spec: S, env: EnvMap): ExpandedSpec<S> {
  const missing: string[] = [];
  const x = (s: string) => expandString(s, env, missing);
  switch (spec.transport) {
    case "stdio":
      return {
        spec: {
          ...spec,
          command: x(spec.command),
          args: spec.args.map(x),
          env: expandRecord(spec.env, env, missing),
          ...(spec.cwd !== undefined ? { cwd: x(spec.cwd) } : {}),
        },
        missing,
      };
    case "http":
    case "sse":
      return {
        spec: { ...spec, url: x(spec.url), headers: expandRecord(spec.headers, env, missing) },
        missing,
      };
    default:
      return { spec, missing };
  }
}

export interface MissingVariable {
  server: string;
  variable: string;
}

/** Expands a whole list; `missing` pairs each unset variable with the server that wants it. */
export function expandSpecs(
  specs: UpstreamSpec[],
  env: EnvMap,
): { specs: UpstreamSpec[]; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  const out = specs.map((s) => {
    const r = expandSpec(s, env);
    for (const variable of r.missing) missing.push({ server: s.name, variable });
    return r.spec;
  });
  return { specs: out, missing };
}
