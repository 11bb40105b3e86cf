import { UsageError } from "../../../core/errors.ts";
import type { GatewayFacts } from "./state.ts";

export type Scope = "user" | "project";

export function scopeOf(value: unknown, flag: string): Scope {
  if (value === "user" || value === "project") return value;
  throw new UsageError(`${flag}: expected user or project`);
}

/** Names the configured servers reference and the manifest's credential variables. */
export function declaredNames(facts: GatewayFacts): string[] {
  return [
    ...facts.servers.flatMap((s) => s.credentials.map((c) => c.name)),
    ...(facts.manifest?.all() ?? []).flatMap((m) => (m.env_var ? [m.env_var] : [])),
  ];
}
