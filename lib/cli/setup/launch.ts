import type { RequiredEnvSpec } from "../../core/command-spec.ts";
import { isSecretName, REDACTED, redactEnv } from "./env-pairs.ts";

/**
 * How a client reaches the server: it starts a process, or it connects to a URL. `forward` lists the
 * variables the server needs that were not given a value: each client entry passes them from the client's
 * own environment in that client's syntax (a `${VAR}` reference, Codex's `env_vars`, …).
 */
export type Launch =
  | {
      mode: "stdio";
      command: string;
      args: string[];
      env: Record<string, string>;
      forward: RequiredEnvSpec[];
    }
  | { mode: "http"; url: string; headers: Record<string, string> };

export type StdioLaunch = Extract<Launch, { mode: "stdio" }>;
export type HttpLaunch = Extract<Launch, { mode: "http" }>;

/** The same launch with every credential replaced by <redacted>, for printing. */
export function redactLaunch(launch: Launch): Launch {
  if (launch.mode === "stdio") return { ...launch, env: redactEnv(launch.env) };
  const headers = Object.fromEntries(
    Object.entries(launch.headers).map(([k, v]) => {
      if (/^authorization$/i.test(k))
        return [k, v.replace(/^(\S+\s+)?.*$/, (_m, scheme) => `${scheme ?? ""}${REDACTED}`)];
      return [k, isSecretName(k) ? REDACTED : v];
    }),
  );
  return { ...launch, headers };
}

/** A stdio launch's env with each forwarded variable written as `reference(name)`. */
export function envWithRefs(
  launch: StdioLaunch,
  reference: (name: string) => string,
): Record<string, string> {
  const env = { ...launch.env };
  for (const v of launch.forward) env[v.name] = reference(v.name);
  return env;
}

/** Drops empty objects and arrays so configs carry only keys that say something. */
export function withoutEmpty<T extends Record<string, unknown>>(entry: T): T {
  return Object.fromEntries(
    Object.entries(entry).filter(([, v]) => {
      if (Array.isArray(v)) return v.length > 0;
      return !(v && typeof v === "object" && !Object.keys(v).length);
    }),
  ) as T;
}
