import { CommanderError } from "commander";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { McpkitError } from "../core/errors.ts";
import { redactor } from "../core/redact.ts";
import { aliasForInvokedName, SERVER_COMMANDS, serverForInvokedName } from "./commands.ts";
import { buildProgram } from "./program.ts";

/** Exit codes of commander's own outcomes: help and version are success, anything else is usage. */
function commanderExitCode(err: CommanderError): number {
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
  if (err.code === "commander.help") return 0;
  return 2;
}

/**
 * Runs the CLI. `invokedAs` is the name the binary was started through; a link named like a seed
 * (`pty-mcp`, `pmcp`) selects that server as if its alias had been typed as the subcommand, so the
 * alias's defaults apply (`pmcp` → PMCP's dotted tool names), exactly as for `mcpkit pmcp`.
 */
export async function main(
  args: string[],
  invokedAs: string[],
  commands: readonly ServerCommandSpec[] = SERVER_COMMANDS,
): Promise<void> {
  const link = invokedAs.map(aliasForInvokedName).find(Boolean);
  const byLink = link ? serverForInvokedName(link) : undefined;
  const named = byLink && (args[0] === byLink.name || byLink.aliases.includes(args[0] ?? ""));
  const argv = byLink && !named ? [link!, ...args] : args;
  const program = buildProgram(commands, argv[0]);
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
