// Commands for the first run: client config, alias links, shell completion. Only flags live here;
// each action imports its module when it runs, so `mcpkit pty` never loads them.
import { Argument, Command, Option } from "commander";
import type { ServerCommandSpec } from "../../core/command-spec.ts";

const CLIENT_CHOICES = ["claude-desktop", "claude-code", "codex", "cursor", "vscode", "opencode", "gemini"];
const ALIAS_DIR_DEFAULT = "the folder mcpkit was started from";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;
}

function setupCommand(commands: readonly ServerCommandSpec[]): Command {
  return new Command("setup")
    .summary("print or write an MCP client's config entry for a server")
    .description(
      "Print the config entry that makes an MCP client start a server (or, with --write, merge it into the " +
        "client's config file after a timestamped backup, leaving other entries alone). The entry launches " +
        "this mcpkit by absolute path, or `npx -y mcpkit@<this version>` with --npx (refused unless the npm " +
        "registry has that version; --no-verify skips the check). Secrets given with --env are written " +
        "only to the client's file; printed output shows them as <redacted>.",
    )
    .addOption(
      new Option("-c, --client <client>", "MCP client to configure")
        .choices(CLIENT_CHOICES)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("-s, --server <name>", "server to add")
        .choices(commands.map((c) => c.name))
        .makeOptionMandatory(),
    )
    .option("-n, --name <entry>", "entry name in the client's config (default: mcpkit-<server>)")
    .option("-e, --env <KEY=VALUE>", "environment variable for the server (repeatable)", collect, [])
    .addOption(
      new Option("-m, --mode <mode>", "start the server (stdio) or connect to a URL (http)")
        .choices(["stdio", "http"])
        .default("stdio"),
    )
    .option("--url <url>", "server URL for --mode http (default: http://127.0.0.1:<port>/mcp)")
    .option("--auth-token <token>", "bearer token the client sends in --mode http")
    .option(
      "--npx",
      "launch through `npx -y mcpkit@<this version>` instead of this executable's absolute path " +
        "(checked with `npm view` first)",
    )
    .option("--no-verify", "with --npx: write the entry without checking that npm has this version")
    .option("-w, --write", "merge into the client's config file (backup first) instead of printing")
    .option("--config-path <file>", "config file to write instead of the client's default")
    .addHelpText(
      "after",
      examples([
        "mcpkit setup --client claude-desktop --server pty",
        "mcpkit setup --client claude-code --server trueppm --env TRUEPPM_API_URL=https://ppm.example.com --env TRUEPPM_API_TOKEN=tppm_…",
        "mcpkit setup --client codex --server gateway --write",
        "mcpkit setup --client vscode --server ptc --config-path .vscode/mcp.json --write",
        "mcpkit setup --client cursor --server pty --mode http --url http://127.0.0.1:3346/mcp",
      ]),
    )
    .action(async (flags) => {
      const { runSetup } = await import("./run.ts");
      await runSetup(flags, commands);
    });
}

function linkAliasesCommand(commands: readonly ServerCommandSpec[]): Command {
  const names = commands.flatMap((c) => c.aliases);
  return new Command("link-aliases")
    .summary(`link ${names.join(", ")} to this executable`)
    .description(
      `Create links named after the original servers (${names.join(", ")}) that start the matching ` +
        "mcpkit server, so existing client configs keep working. Symlinks on macOS and Linux, .cmd shims " +
        "on Windows. Existing files are left alone unless --force is given.",
    )
    .option("-d, --dir <folder>", `where to create the links (default: ${ALIAS_DIR_DEFAULT})`)
    .option("-f, --force", "replace files that already exist under those names")
    .addHelpText(
      "after",
      examples([
        "mcpkit link-aliases                      next to the mcpkit executable",
        "mcpkit link-aliases --dir ~/.local/bin",
        "pty-mcp --help                            same as: mcpkit pty --help",
      ]),
    )
    .action(async (flags: { dir?: string; force?: boolean }) => {
      const { linkAliases } = await import("../aliases.ts");
      linkAliases({ dir: flags.dir, force: Boolean(flags.force), commands });
    });
}

function completionCommand(): Command {
  const cmd = new Command("completion")
    .summary("print a shell completion script (bash, zsh, fish)")
    .description("Print a completion script for mcpkit's commands and flags (and the alias links).")
    .addArgument(new Argument("<shell>", "shell to complete for").choices(["bash", "zsh", "fish"]))
    .addHelpText(
      "after",
      examples([
        "mcpkit completion bash > ~/.local/share/bash-completion/completions/mcpkit",
        "mcpkit completion zsh > ~/.zfunc/_mcpkit            (with fpath+=~/.zfunc in ~/.zshrc)",
        "mcpkit completion fish > ~/.config/fish/completions/mcpkit.fish",
        "source <(mcpkit completion bash)           try it in the current shell",
      ]),
    );
  cmd.action(async (shell: string) => {
    const { completionScript } = await import("../completion.ts");
    process.stdout.write(completionScript(shell, cmd.parent!));
  });
  return cmd;
}

/** The first-run commands, registered after the server table. */
export function setupCommands(commands: readonly ServerCommandSpec[]): Command[] {
  return [setupCommand(commands), linkAliasesCommand(commands), completionCommand()];
}
