import type { ServerContext } from "../app.ts";
import type { ServerCommandSpec } from "../command-spec.ts";
import type { SettingsSpec, SettingValues } from "./declare.ts";
import { serverPlans } from "./plans.ts";
import { type ResolveInput, resolvePlans, type SettingSource } from "./resolve.ts";
import { SHARED_SETTINGS, type SharedSettings } from "./shared.ts";

export interface ServerConfig {
  /** The shared settings (transport, host, port, auth, logging): the CLI's. */
  shared: SettingValues<SharedSettings>;
  /** The server's own settings: what it gets as `ctx.config`. */
  config: Record<string, unknown>;
  sources: Record<string, SettingSource>;
}

/**
 * Resolves a server command's settings once: flag > variables > alias-profile default > default
 * (see plans.ts for the order of variables). Throws ConfigError/StartupError naming the flag or
 * variable.
 */
export function resolveServerConfig(
  spec: ServerCommandSpec,
  input: ResolveInput & { alias?: string },
): ServerConfig {
  const { values, sources } = resolvePlans(serverPlans(spec, input.alias), input);
  const shared: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key in SHARED_SETTINGS) shared[key] = value;
    else config[key] = value;
  }
  return { shared: shared as SettingValues<SharedSettings>, config, sources };
}

/**
 * A server's typed settings: `ctx.config` as the CLI resolved it, or, for hosts that start a server
 * without the CLI (the gateway mounting pty in-process, tests), resolved here from `ctx.options` (as
 * flags) and `ctx.env`.
 */
export function serverSettings<S extends SettingsSpec>(
  ctx: Pick<ServerContext, "config" | "options" | "env" | "invokedAs">,
  spec: ServerCommandSpec<S>,
): SettingValues<S> {
  if (ctx.config) return ctx.config as SettingValues<S>;
  const plans = serverPlans(spec, ctx.invokedAs, "server");
  return resolvePlans(plans, { flags: ctx.options ?? {}, env: ctx.env }).values as SettingValues<S>;
}
