import { CommanderError } from "commander";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { McpkitError } from "../core/errors.ts";
import { redactor } from "../core/redact.ts";
import { aliasOfInvokedName, SERVER_COMMANDS, serverForInvokedName } from "./commands.ts";
import { buildProgram } from "./program.ts";

/** Exit codes of commander's own outcomes: help and version are success, anything else is usage. */
function commanderExitCode(err: CommanderError): number {
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
  if (err.code === "commander.help") return 0;
  return 2;
}

/**
 * Runs the CLI. `invokedAs` is the name the binary was started through; a link named like a seed
 * (`pty-mcp`) selects that server as if its subcommand had been typed.
 */
export async function main(
  args: string[],
  invokedAs: string[],
  commands: readonly ServerCommandSpec[] = SERVER_COMMANDS,
): Promise<void> {
  const link = invokedAs.find((name) => serverForInvokedName(name));
  const byLink = link ? serverForInvokedName(link) : undefined;
  // The alias itself goes first (commander resolves it to the server), so the server learns the name.
  const named = byLink && (args[0] === byLink.name || byLink.aliases.includes(args[0] ?? ""));
  const argv = byLink && !named ? [aliasOfInvokedName(link!)!, ...args] : args;
  const program = buildProgram(commands);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      process.exit(0);
    }
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) process.exit(commanderExitCode(err));
    if (err instanceof McpkitError) {
      process.stderr.write(`mcpkit: ${redactor.redact(err.message)}\n`);
      process.exit(err.exitCode);
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`mcpkit: unexpected error: ${redactor.redact(msg)}\n`);
    if (process.env.MCPKIT_DEBUG) process.stderr.write(`${redactor.redact(String((err as Error)?.stack))}\n`);
    process.exit(1);
  }
}
