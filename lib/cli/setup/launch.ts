import { isSecretName, REDACTED, redactEnv } from "./env-pairs.ts";

/** How a client reaches the server: it starts a process, or it connects to a URL. */
export type Launch =
  | { mode: "stdio"; command: string; args: string[]; env: Record<string, string> }
  | { mode: "http"; url: string; headers: Record<string, string> };

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

/** Drops empty objects so configs carry only keys that say something. */
export function withoutEmpty<T extends Record<string, unknown>>(entry: T): T {
  return Object.fromEntries(
    Object.entries(entry).filter(
      ([, v]) => !(v && typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length),
    ),
  ) as T;
}
