import { type Command, Help, Option } from "commander";
import type { AliasProfile } from "../core/command-spec.ts";
import type { SettingPlan } from "../core/settings/resolve.ts";

/**
 * A flag made from a setting. Commander only collects what the command line says: defaults, variables
 * and validation belong to the settings resolver, so commander is given none of them, and --help shows
 * them from the declaration instead.
 */
export class SettingOption extends Option {
  constructor(
    flags: string,
    readonly plan: SettingPlan,
  ) {
    super(flags, plan.setting.description);
  }

  /** Made only when help is shown. */
  get helpText(): string {
    return settingHelp(this.plan);
  }
}

/** How a setting's default reads: the alias profile's, the declared text, or the value. */
export function defaultLabel(plan: SettingPlan): string | undefined {
  if (plan.profileDefault !== undefined) return String(plan.profileDefault);
  if (plan.defaultValue !== undefined) return String(plan.defaultValue);
  if (plan.setting.defaultText) return plan.setting.defaultText.replaceAll("`", "");
  const value = plan.setting.default;
  if (value === undefined || value === false) return undefined;
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** The description --help shows: the declared one, then choices, default, variables. */
export function settingHelp(plan: SettingPlan): string {
  const { setting } = plan;
  const parts: string[] = [];
  if (setting.choices?.length) parts.push(`choices: ${setting.choices.join(", ")}`);
  const dflt = defaultLabel(plan);
  if (dflt !== undefined) parts.push(`default: ${dflt}`);
  const variables = [...(setting.env ?? []), ...(plan.extraEnv ?? [])];
  if (variables.length) parts.push(`env: ${variables.join(" or ")}`);
  if (setting.required) parts.push("required");
  // Descriptions are Markdown for the README tables; a terminal shows them without the backticks.
  const text = setting.description.replaceAll("`", "");
  return parts.length ? `${text} (${parts.join("; ")})` : text;
}

/**
 * Moves short flags the way an alias profile says: an option whose short flag the profile gives to
 * another loses it, and the profile's options get theirs (`-p` is --project under pmcp).
 */
function withShortFlags(flags: string, profile: AliasProfile | undefined): string {
  const shorts = profile?.shortFlags ?? {};
  const long = /--[\w-]+/.exec(flags)?.[0];
  let out = flags;
  const short = /^(-[^-\s,|]+)[\s,|]+/.exec(out)?.[1];
  if (short && short in shorts && shorts[short] !== long) out = out.replace(/^-[^-\s,|]+[\s,|]+/, "");
  const wanted = Object.entries(shorts).find(([, l]) => l === long)?.[0];
  if (wanted && !out.startsWith(`${wanted},`)) out = `${wanted}, ${out}`;
  return out;
}

/** The flags of a server command, one per setting that has a flag, in plan order. */
export function settingOptions(plans: readonly SettingPlan[], profile?: AliasProfile): SettingOption[] {
  const out: SettingOption[] = [];
  for (const plan of plans) {
    if (!plan.setting.flag) continue;
    const opt = new SettingOption(withShortFlags(plan.setting.flag, profile), plan);
    // For shell completion only: commander validates choices through parseArg, which stays unset.
    if (plan.setting.choices) opt.argChoices = [...plan.setting.choices];
    out.push(opt);
  }
  return out;
}

/** Values the command line gave (typed, or implied by another flag such as PMCP's --debug), by key. */
export function givenFlags(cmd: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const opt of cmd.options) {
    const key = opt.attributeName();
    const source = cmd.getOptionValueSource(key);
    if (source === "cli" || source === "implied") out[key] = cmd.getOptionValue(key);
  }
  return out;
}

/** Help that describes setting flags from their declarations (other options as commander does). */
export const settingHelpConfig = {
  optionDescription(this: Help, option: Option): string {
    return option instanceof SettingOption
      ? option.helpText
      : Help.prototype.optionDescription.call(this, option);
  },
};

/** Word-wraps `text` to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** --help's list of the settings that only variables set, generated like the flags above it. */
export function variablesHelp(plans: readonly SettingPlan[], columns = 80): string {
  const rows = plans
    .filter((p) => !p.setting.flag && p.setting.env?.length)
    .map((p) => {
      const [name, ...more] = [...(p.setting.env ?? []), ...(p.extraEnv ?? [])];
      const also = more.length ? ` (also ${more.join(", ")})` : "";
      return [name!, settingHelp({ ...p, setting: { ...p.setting, env: [] }, extraEnv: [] }) + also] as const;
    });
  if (!rows.length) return "";
  const width = Math.max(...rows.map(([n]) => n.length));
  const indent = 2 + width + 2;
  const lines = rows.map(
    ([n, d]) => `  ${n.padEnd(width)}  ${wrap(d, Math.max(columns - indent, 30), indent)}`,
  );
  return `\nVariables (no flag):\n${lines.join("\n")}\n`;
}
