import { Command } from "commander";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { serverPlans } from "../core/settings/plans.ts";
import type { ServerConfig } from "../core/settings/server-config.ts";
import { clientCommands } from "./client/command.ts";
import { SERVER_COMMANDS } from "./commands.ts";
import { runServer } from "./run-server.ts";
import { givenFlags, settingHelpConfig, settingOptions, variablesHelp } from "./setting-options.ts";
import { setupCommands } from "./setup/command.ts";
import { inheritDeep, optionFromSpec, subcommand } from "./subcommands.ts";
import { VERSION } from "./version.ts";

/** Turns commander's multi-line messages into the one line (plus hint) we promise. */
function oneLine(text: string): string {
  return `${text
    .replace(/^error:\s*/i, "")
    .replace(/\s*\n\s*/g, " ")
    .trim()}\n`;
}

/**
 * One server's command, its flags made from its settings (lib/core/settings). Reached through an alias
 * with a profile (`pmcp`), the alias's defaults, variables, short flags and extra flags apply; `invokedAs`
 * tells the server (and setup) which name it was. The settings are resolved once, when the command runs.
 */
function serverCommand(spec: ServerCommandSpec, alias?: string): Command {
  const profile = alias ? spec.aliasProfiles?.[alias] : undefined;
  const invokedAs = alias ?? spec.name;
  const cmd = new Command(spec.name)
    .summary(spec.summary)
    .description(`${spec.summary}${spec.description ? `\n\n${spec.description}` : ""}`)
    .aliases(spec.aliases)
    .allowExcessArguments(false);
  const plans = serverPlans(spec, alias);
  for (const opt of settingOptions(plans, profile)) cmd.addOption(opt);
  for (const o of profile?.extraOptions ?? []) {
    const opt = optionFromSpec(o);
    if (o.implies) opt.implies(o.implies);
    cmd.addOption(opt);
  }
  const env = process.env as Record<string, string | undefined>;
  // The resolver (and zod) load only when a command runs: --help and --version never pay for them.
  const resolve = async (): Promise<ServerConfig> => {
    const { resolveServerConfig } = await import("../core/settings/server-config.ts");
    return resolveServerConfig(spec, { flags: givenFlags(cmd), env, alias });
  };
  for (const sub of spec.subcommands ?? []) {
    cmd.addCommand(
      subcommand(sub, {
        invokedAs,
        scope: spec.name,
        defaults: profile?.subcommandDefaults?.[sub.name],
        resolveServer: resolve,
      }),
    );
  }
  // A function: the text is made only when help is shown.
  cmd.addHelpText(
    "after",
    () =>
      `${variablesHelp(plans)}\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}${spec.load ? "" : `\n\nStatus: not built yet.`}`,
  );
  cmd.action(async (_flags: Record<string, unknown>, self: Command) => {
    // With subcommands the command accepts operands (see buildProgram), so a typo gets commander's
    // "unknown command ... (Did you mean ...?)" instead of being served as a server.
    if (self.args.length) (self as unknown as { unknownCommand(): never }).unknownCommand();
    await runServer(spec, await resolve(), invokedAs);
  });
  return cmd;
}

/**
 * Builds the whole command line: one subcommand per server from the command table. `invoked` is the
 * subcommand name the user typed (or a link selected): an alias there gets its profile's defaults.
 */
export function buildProgram(
  commands: readonly ServerCommandSpec[] = SERVER_COMMANDS,
  invoked?: string,
): Command {
  const program = new Command("mcpkit")
    .description(
      "Five MCP servers in one binary. Pick one with a subcommand; stdio is the default transport.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureOutput({ outputError: (str, write) => write(`mcpkit: ${oneLine(str)}`) })
    .configureHelp(settingHelpConfig)
    .addHelpText(
      "after",
      `\nExamples:\n  $ mcpkit pty                      serve the PTY runner over stdio\n  $ mcpkit gateway -t http -p 3344   serve the gateway over Streamable HTTP\n  $ mcpkit pty --help               flags of one server`,
    );
  program.exitOverride();
  for (const spec of commands) {
    const cmd = serverCommand(spec, invoked && spec.aliases.includes(invoked) ? invoked : undefined);
    cmd.copyInheritedSettings(program);
    inheritDeep(cmd);
    if (spec.subcommands?.length) cmd.allowExcessArguments(true);
    program.addCommand(cmd);
  }
  // Non-server commands: flags here, code loaded by each action on demand.
  for (const cmd of [...clientCommands(commands), ...setupCommands(commands)]) {
    cmd.helpGroup("Setup and tools:");
    cmd.copyInheritedSettings(program);
    program.addCommand(cmd);
  }
  return program;
}
