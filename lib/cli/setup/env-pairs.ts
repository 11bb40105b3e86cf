import { UsageError } from "../../core/errors.ts";

/** Commander collector for repeatable `--env KEY=VALUE`. */
export function collectPair(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses `KEY=VALUE` pairs; the error never repeats the argument, which may hold a secret. */
export function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = eq > 0 ? pair.slice(0, eq) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new UsageError(
        "--env expects KEY=VALUE with a name of letters, digits and _ (e.g. --env API_URL=…)",
      );
    }
    env[key] = pair.slice(eq + 1);
  }
  return env;
}

/** Names whose values are credentials: shown as <redacted> when a config is printed. */
export function isSecretName(name: string): boolean {
  return /TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i.test(name);
}

export const REDACTED = "<redacted>";

export function redactEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]));
}
