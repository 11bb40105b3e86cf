import { type Command, InvalidArgumentError, type Option } from "commander";
import type { AliasProfile } from "../core/command-spec.ts";
import { ConfigError } from "../core/errors.ts";

/**
 * Rewrites a server command's options for an alias: its defaults replace the command's, and its short
 * flags move to the options it names (a short flag another option held is taken from it).
 */
export function applyProfileToOptions(options: Option[], profile: AliasProfile | undefined): Option[] {
  if (!profile) return options;
  const shorts = profile.shortFlags ?? {};
  const longToShort = new Map(Object.entries(shorts).map(([short, long]) => [long, short]));
  for (const opt of options) {
    const key = opt.attributeName();
    const variable = profile.env?.[key];
    if (variable) opt.description += ` (also env: ${variable})`;
    if (profile.defaults && key in profile.defaults) opt.default(profile.defaults[key]);
    if (opt.short && opt.short in shorts && shorts[opt.short] !== opt.long) {
      opt.flags = opt.flags.replace(/^-[^-\s,|]+[\s,|]+/, "");
      opt.short = undefined;
    }
    const wanted = opt.long ? longToShort.get(opt.long) : undefined;
    if (wanted && opt.short !== wanted) {
      opt.short = wanted;
      opt.flags = `${wanted}, ${opt.flags}`;
    }
  }
  return options;
}

/** Whether an option still holds its default (neither a flag nor its usual variable set it). */
function unset(cmd: Command, key: string): boolean {
  const source = cmd.getOptionValueSource(key);
  return source === undefined || source === "default";
}

/**
 * Fills options from the alias's own variables (PMCP_PORT, PMCP_LOG_LEVEL, ...) where neither a flag nor
 * the usual variable gave a value. Each value goes through the option's parser and choices; a bad one stops
 * start-up naming the variable (never its value).
 */
export function applyProfileEnv(
  cmd: Command,
  profile: AliasProfile | undefined,
  env: Record<string, string | undefined>,
): void {
  for (const [key, variable] of Object.entries(profile?.env ?? {})) {
    const raw = env[variable]?.trim();
    if (!raw || !unset(cmd, key)) continue;
    const opt = cmd.options.find((o) => o.attributeName() === key);
    if (!opt) continue;
    let value: unknown = raw;
    if (opt.argChoices) {
      const lower = raw.toLowerCase();
      // Python-style level names ("WARNING") map onto ours ("warn").
      value = opt.argChoices.find((c) => c === lower) ?? opt.argChoices.find((c) => lower.startsWith(c));
      if (value === undefined) {
        throw new ConfigError(`${variable}: expected one of ${opt.argChoices.join(", ")}`);
      }
    }
    if (opt.parseArg) {
      try {
        value = opt.parseArg(value as string, undefined);
      } catch (err) {
        const why = err instanceof InvalidArgumentError ? err.message : "not a valid value";
        throw new ConfigError(`${variable}: ${why}`);
      }
    }
    cmd.setOptionValueWithSource(key, value, "env");
  }
}
