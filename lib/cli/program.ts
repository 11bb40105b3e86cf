import { Command } from "commander";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { clientCommands } from "./client/command.ts";
import { SERVER_COMMANDS } from "./commands.ts";
import { commonServerOptions } from "./common-options.ts";
import { runServer } from "./run-server.ts";
import { setupCommands } from "./setup/command.ts";
import { addOptionSpecs, inheritDeep, subcommand } from "./subcommands.ts";
import { VERSION } from "./version.ts";

/** Turns commander's multi-line messages into the one line (plus hint) we promise. */
function oneLine(text: string): string {
  return `${text
    .replace(/^error:\s*/i, "")
    .replace(/\s*\n\s*/g, " ")
    .trim()}\n`;
}

function serverCommand(spec: ServerCommandSpec): Command {
  const cmd = new Command(spec.name)
    .summary(spec.summary)
    .description(`${spec.summary}${spec.description ? `\n\n${spec.description}` : ""}`)
    .aliases(spec.aliases)
    .allowExcessArguments(false);
  for (const opt of commonServerOptions(spec.defaultPort, spec.authTokenEnv)) cmd.addOption(opt);
  addOptionSpecs(cmd, spec.options);
  for (const sub of spec.subcommands ?? []) cmd.addCommand(subcommand(sub));
  cmd.addHelpText(
    "after",
    `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}${spec.load ? "" : `\n\nStatus: not built yet.`}`,
  );
  cmd.action(async (flags: Record<string, unknown>, self: Command) => {
    // With subcommands the command accepts operands (see buildProgram), so a typo gets commander's
    // "unknown command ... (Did you mean ...?)" instead of being served as a server.
    if (self.args.length) (self as unknown as { unknownCommand(): never }).unknownCommand();
    // The name typed (or prepended by main() for a link): an alias selects the original's defaults.
    const typed = self.parent?.args[0];
    await runServer(spec, flags, typed && spec.aliases.includes(typed) ? typed : undefined);
  });
  return cmd;
}

/** Builds the whole command line: one subcommand per server from the command table. */
export function buildProgram(commands: readonly ServerCommandSpec[] = SERVER_COMMANDS): Command {
  const program = new Command("mcpkit")
    .description(
      "Five MCP servers in one binary. Pick one with a subcommand; stdio is the default transport.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureOutput({ outputError: (str, write) => write(`mcpkit: ${oneLine(str)}`) })
    .addHelpText(
      "after",
      `\nExamples:\n  $ mcpkit pty                      serve the PTY runner over stdio\n  $ mcpkit gateway -t http -p 3344   serve the gateway over Streamable HTTP\n  $ mcpkit pty --help               flags of one server`,
    );
  program.exitOverride();
  for (const spec of commands) {
    const cmd = serverCommand(spec);
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
