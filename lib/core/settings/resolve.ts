import * as z from "zod";
import { unexpandedReference } from "../env.ts";
import { ConfigError, StartupError } from "../errors.ts";
import { redactor } from "../redact.ts";
import { longFlag, type RawValue, type Setting, type SettingsSpec, type SettingValues } from "./declare.ts";

/** Where a value came from: a flag, a variable, a default (declared or an alias profile's), or nowhere. */
export type SettingSource =
  | { kind: "flag"; name: string }
  | { kind: "env"; name: string }
  | { kind: "default" }
  | { kind: "missing" };

/** One setting to resolve, with what the caller adds to its declaration. */
export interface SettingPlan {
  key: string;
  setting: Setting;
  /** Variables read after the declared ones (an original's names, an alias profile's). */
  extraEnv?: readonly string[];
  /** Replaces the declared default (a raw value, parsed like a flag's): an alias profile's default. */
  profileDefault?: RawValue;
  /** Replaces the declared default (a typed value): the server's port. */
  defaultValue?: unknown;
  /** Exit code and message wrapper for this setting's errors (default 2, the message as is). */
  exitCode?: number;
  formatError?: (message: string) => string;
  /** When set, exitCode and formatError apply only to errors of these variables (a server's own names). */
  errorsOnlyFor?: readonly string[];
}

export interface ResolveInput {
  /** Values given on the command line (or by a host), by key; undefined means not given. */
  flags?: Record<string, unknown>;
  env: Record<string, string | undefined>;
}

export interface Resolved {
  values: Record<string, unknown>;
  sources: Record<string, SettingSource>;
}

const schemas = new WeakMap<Setting, z.ZodType>();

function schemaOf(setting: Setting): z.ZodType {
  let s = schemas.get(setting);
  if (!s) {
    s = setting.schema(z);
    schemas.set(setting, s);
  }
  return s;
}

/**
 * "NAME: expected …" for a reason that is a demand, "NAME is required …" / "NAME must …" for one that
 * reads as the rest of a sentence (the originals' wording).
 */
export function settingMessage(name: string, reason: string): string {
  return /^(is|must|are|has|cannot|contains) /.test(reason) ? `${name} ${reason}` : `${name}: ${reason}`;
}

function fail(plan: SettingPlan, name: string, reason: string): never {
  const line = settingMessage(name, reason);
  const own = !plan.errorsOnlyFor || plan.errorsOnlyFor.includes(name);
  const message = own && plan.formatError ? plan.formatError(line) : line;
  const code = own ? (plan.exitCode ?? 2) : 2;
  throw code === 2 ? new ConfigError(message) : new StartupError(message, code);
}

function isGiven(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== "string" || value.trim() !== "";
}

/** The raw value and where it came from: flag, then variables in order, then the defaults. */
function pick(plan: SettingPlan, input: ResolveInput): { raw?: RawValue; source: SettingSource } {
  const { key, setting } = plan;
  const flag = input.flags?.[key];
  if (isGiven(flag)) {
    return { raw: flag, source: { kind: "flag", name: setting.flag ? longFlag(setting.flag)! : key } };
  }
  for (const name of [...(setting.env ?? []), ...(plan.extraEnv ?? [])]) {
    const value = input.env[name];
    if (value !== undefined && value.trim() !== "")
      return { raw: value.trim(), source: { kind: "env", name } };
  }
  if (plan.profileDefault !== undefined) return { raw: plan.profileDefault, source: { kind: "default" } };
  return { source: { kind: "default" } };
}

/** Parses one raw value through the setting's schema and check; errors name `name`, never the value. */
function parse(plan: SettingPlan, raw: RawValue, name: string): unknown {
  const { setting } = plan;
  if (typeof raw === "string") {
    // A reference the client left unexpanded names a variable, not a secret: say so before anything else.
    const unexpanded = unexpandedReference(name, raw);
    if (unexpanded) fail(plan, name, unexpanded.slice(name.length + 1));
    if (setting.secret) redactor.addSecret(raw);
  }
  const parsed = schemaOf(setting).safeParse(typeof raw === "string" ? raw.trim() : raw);
  if (!parsed.success) {
    fail(plan, name, setting.invalid ?? parsed.error.issues[0]?.message ?? "not a valid value");
  }
  const problem = setting.check?.(parsed.data);
  if (problem) fail(plan, name, setting.invalid ?? problem);
  return parsed.data;
}

/** How an error names a value's source: the variable, or the flag with its variable (`--port (MCPKIT_PORT)`). */
function errorName(plan: SettingPlan, source: SettingSource): string {
  if (source.kind === "env") return source.name;
  if (source.kind !== "flag") return `the default of ${plan.key}`;
  const variable = plan.setting.env?.[0];
  return variable ? `${source.name} (${variable})` : source.name;
}

/**
 * Resolves settings once, in plan order: flag > variables (declared, then extra) > alias-profile
 * default > default. A missing required setting or a bad value throws ConfigError (exit 2) or
 * StartupError (the plan's exit code) with one line naming the flag or variable, never the value.
 * Secrets are registered with the redactor as they are read, before anything can echo them.
 */
export function resolvePlans(plans: readonly SettingPlan[], input: ResolveInput): Resolved {
  const values: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  for (const plan of plans) {
    const { raw, source } = pick(plan, input);
    if (raw !== undefined) {
      const name = errorName(plan, source);
      values[plan.key] = parse(plan, raw, name);
      sources[plan.key] = source;
      continue;
    }
    const fallback = plan.defaultValue !== undefined ? plan.defaultValue : plan.setting.default;
    if (fallback !== undefined) {
      values[plan.key] = fallback;
      sources[plan.key] = { kind: "default" };
      continue;
    }
    if (plan.setting.required) {
      const name = plan.setting.env?.[0] ?? (plan.setting.flag ? longFlag(plan.setting.flag)! : plan.key);
      fail(plan, name, plan.setting.required);
    }
    values[plan.key] = undefined;
    sources[plan.key] = { kind: "missing" };
  }
  return { values, sources };
}

/** Resolves a plain table of settings (no extras): handy for a server's own values and for tests. */
export function resolveSettings<S extends SettingsSpec>(
  settings: S,
  input: ResolveInput,
  extras: Omit<SettingPlan, "key" | "setting"> = {},
): SettingValues<S> {
  const plans = Object.entries(settings).map(([key, setting]) => ({ ...extras, key, setting }));
  return resolvePlans(plans, input).values as SettingValues<S>;
}
