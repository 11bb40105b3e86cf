// Generates the settings tables of the server READMEs (and the shared one in docs/configuration.md) from
// the settings each server declares (lib/servers/<name>/settings.ts, lib/core/settings/shared.ts), between
// `<!-- settings:start -->` and `<!-- settings:end -->`. tests/foundation/config-tables.test.ts fails when
// a table is stale. To rewrite them:
//   SETTINGS_TABLES_WRITE=1 npx vitest run tests/foundation/config-tables.test.ts
// or, where bun is installed, `bun scripts/settings-tables.ts`; then `npx biome format --write <files>`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_COMMANDS } from "../lib/cli/commands.ts";
import type { ServerCommandSpec } from "../lib/core/command-spec.ts";
import { longFlag, type Setting } from "../lib/core/settings/declare.ts";
import { serverPlans } from "../lib/core/settings/plans.ts";
import type { SettingPlan } from "../lib/core/settings/resolve.ts";
import { SHARED_SETTINGS } from "../lib/core/settings/shared.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const START = "<!-- settings:start -->";
export const END = "<!-- settings:end -->";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (text: string) => `\`${text}\``;

function defaultCell(plan: SettingPlan): string {
  const { setting } = plan;
  if (setting.required) return "required";
  if (setting.defaultText) return setting.defaultText;
  const value = plan.defaultValue ?? setting.default;
  if (value === undefined) return "–";
  return code(Array.isArray(value) ? value.join(",") : String(value));
}

function row(plan: SettingPlan): string {
  const { setting } = plan;
  const flag = setting.flag ? code(longFlag(setting.flag)!) : "–";
  const names = [...(setting.env ?? []), ...(plan.extraEnv ?? [])].map(code).join(", ") || "–";
  const variables = setting.extension ? `_new_ ${names}` : names;
  const choices = setting.choices?.length ? ` (${setting.choices.map(code).join(", ")})` : "";
  const secret = setting.secret ? "; a secret: never logged" : "";
  const meaning = setting.description + choices + secret;
  return `| ${cell(flag)} | ${cell(variables)} | ${cell(defaultCell(plan))} | ${cell(meaning)} |`;
}

function table(plans: readonly SettingPlan[]): string[] {
  return ["| flag | variables | default | meaning |", "| --- | --- | --- | --- |", ...plans.map(row)];
}

/**
 * A server's table: its own settings, then the shared settings it adds its original's variables to
 * (bearer token, log level and format), read after mcpkit's own.
 */
export function serverTable(spec: ServerCommandSpec): string {
  const plans = serverPlans(spec);
  const own = plans.filter((p) => !(p.key in SHARED_SETTINGS));
  const shared = plans.filter((p) => p.key in SHARED_SETTINGS && p.extraEnv?.length);
  const lines = [
    `Generated from \`lib/servers/${spec.name}/settings.ts\` (\`npx vitest run tests/foundation/config-tables.test.ts\` checks it).`,
    "A flag beats its variables; variables are read in the order listed; blank counts as unset.",
    `A bad or missing value stops start-up with one line naming the flag or variable, never its value (exit ${spec.configExitCode ?? 2}).`,
    "",
    ...table(own),
  ];
  if (shared.length) {
    lines.push(
      "",
      "Shared settings this server also reads from its original's variables (every shared flag: [docs/configuration.md](../../../docs/configuration.md)):",
      "",
      ...table(shared),
    );
  }
  return lines.join("\n");
}

/** The shared settings every server command has. */
export function sharedTable(): string {
  const plans = Object.entries(SHARED_SETTINGS).map(([key, setting]) => ({
    key,
    setting: setting as Setting,
  }));
  return [
    "Generated from `lib/core/settings/shared.ts` (`npx vitest run tests/foundation/config-tables.test.ts` checks it).",
    "",
    ...table(plans),
  ].join("\n");
}

/** Every generated table and the file it lives in. */
export function tables(): Array<{ file: string; body: string }> {
  return [
    { file: "docs/configuration.md", body: sharedTable() },
    ...SERVER_COMMANDS.map((spec) => ({
      file: `lib/servers/${spec.name}/README.md`,
      body: serverTable(spec),
    })),
  ];
}

/** Table rows as biome's markdown formatter pads them compare equal to the generated, unpadded ones. */
export function normalize(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith("|") ? line.replace(/\s*\|\s*/g, "|").replace(/-{3,}/g, "---") : line))
    .join("\n")
    .trim();
}

/** The text between the markers, or undefined when the file lacks them. */
export function currentBody(text: string): string | undefined {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + START.length, end).trim();
}

/** Rewrites the stale tables; returns the files it changed. */
export function writeTables(): string[] {
  const changed: string[] = [];
  for (const { file, body } of tables()) {
    const path = join(ROOT, file);
    const text = readFileSync(path, "utf8");
    const current = currentBody(text);
    if (current === undefined) throw new Error(`${file} lacks the ${START} … ${END} markers`);
    if (normalize(current) === normalize(body)) continue;
    const start = text.indexOf(START) + START.length;
    writeFileSync(path, `${text.slice(0, start)}\n\n${body}\n\n${text.slice(text.indexOf(END))}`);
    changed.push(file);
  }
  return changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const changed = writeTables();
  process.stdout.write(changed.length ? `rewrote ${changed.join(", ")}\n` : "settings tables are current\n");
}
