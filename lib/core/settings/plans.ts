import type { OptionSpec, RequiredEnvSpec, ServerCommandSpec } from "../command-spec.ts";
import { bool, choice, flagKey, flagTakesValue, type Setting, text } from "./declare.ts";
import type { SettingPlan } from "./resolve.ts";
import { SHARED_SETTINGS } from "./shared.ts";

/** A flag declared the old way (OptionSpec) as a setting: text, one of its choices, or a switch. */
export function settingFromOption(o: OptionSpec): Setting {
  const base = { flag: o.flags, description: o.description, ...(o.env ? { env: [o.env] } : {}) };
  if (!flagTakesValue(o.flags)) return bool({ ...base, default: o.default === true }) as Setting;
  const dflt = typeof o.default === "string" ? { default: o.default } : {};
  if (o.choices?.length) return choice(o.choices, { ...base, ...dflt }) as Setting;
  return text({ ...base, ...dflt }) as Setting;
}

/** The server's own settings: its declarations, then any flags still declared as OptionSpecs. */
export function ownSettings(spec: ServerCommandSpec): Array<[string, Setting]> {
  const own: Array<[string, Setting]> = Object.entries(spec.settings ?? {});
  for (const o of spec.options ?? []) {
    const key = flagKey(o.flags);
    if (key) own.push([key, settingFromOption(o)]);
  }
  return own;
}

/**
 * Everything a server command resolves, in order: the shared settings (with the server's port and its
 * original's variables for them), then the server's own. `alias` applies that alias's profile: its
 * variables come after the usual ones, its defaults replace the declared ones. Data only: the CLI builds
 * its flags from these plans, and lib/core/settings/resolve.ts turns them into values.
 */
export function serverPlans(
  spec: ServerCommandSpec,
  alias?: string,
  part: "all" | "server" = "all",
): SettingPlan[] {
  const profile = alias ? spec.aliasProfiles?.[alias] : undefined;
  const profileEnv = (key: string) => {
    const v = profile?.env?.[key];
    return v === undefined ? [] : Array.isArray(v) ? v : [v as string];
  };
  const withProfile = (plan: SettingPlan): SettingPlan => {
    const extra = [...(plan.extraEnv ?? []), ...profileEnv(plan.key)];
    const dflt = profile?.defaults?.[plan.key];
    return {
      ...plan,
      ...(extra.length ? { extraEnv: extra } : {}),
      ...(dflt !== undefined ? { profileDefault: dflt } : {}),
    };
  };
  const serverErrors = {
    ...(spec.configExitCode !== undefined ? { exitCode: spec.configExitCode } : {}),
    ...(spec.formatConfigError ? { formatError: spec.formatConfigError } : {}),
  };
  const plans: SettingPlan[] = [];
  if (part === "all") {
    for (const [key, setting] of Object.entries(SHARED_SETTINGS) as Array<[string, Setting]>) {
      const extra = [
        ...(key === "authToken" ? spec.authTokenEnv : []),
        ...(spec.sharedEnv?.[key as never] ?? []),
      ];
      const plan: SettingPlan = { key, setting };
      if (key === "port") plan.defaultValue = spec.defaultPort;
      if (extra.length) plan.extraEnv = extra;
      // A server's own names for a shared setting are its variables: their errors read like its others.
      const own = spec.sharedEnv?.[key as never] as readonly string[] | undefined;
      if (own) Object.assign(plan, serverErrors, { errorsOnlyFor: own });
      plans.push(withProfile(plan));
    }
  }
  for (const [key, setting] of ownSettings(spec)) plans.push(withProfile({ key, setting, ...serverErrors }));
  return plans;
}

/**
 * The variables a server cannot start without, for `setup` hints: the spec's own list, else its
 * required settings that have a variable (description without Markdown).
 */
export function requiredVariables(spec: ServerCommandSpec): RequiredEnvSpec[] {
  if (spec.requiredEnv) return spec.requiredEnv;
  return ownSettings(spec)
    .filter(([, s]) => s.required && s.env?.length)
    .map(([, s]) => ({
      name: s.env![0]!,
      description: s.description.replaceAll("`", ""),
      ...(s.secret ? { secret: true } : {}),
    }));
}
