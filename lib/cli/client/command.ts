// `mcpkit tools` and `mcpkit call`: a small MCP client over our own servers. Flags only; the SDK
// client and the tokenizer load when one of these commands runs.
import { Command } from "commander";
import type { ServerCommandSpec } from "../../core/command-spec.ts";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option("-e, --env <KEY=VALUE>", "environment variable for the spawned server (repeatable)", collect, [])
    .option("--url <url>", "talk to a running server (Streamable HTTP, or legacy SSE for …/sse) instead")
    .option("--auth-token <token>", "bearer token for --url (env: MCPKIT_AUTH_TOKEN)")
    .option("--json", "print raw JSON");
}

function toolsCommand(commands: readonly ServerCommandSpec[]): Command {
  return targetOptions(
    new Command("tools")
      .summary("list a server's tools and their token cost")
      .description(
        "Start a server (as a stdio child of this mcpkit) or connect to one with --url, list its tools and " +
          "count the tokens each tool's definition costs a model's context (gpt-tokenizer over its JSON).",
      )
      .argument("[server]", "server to start (omit with --url)"),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  $ mcpkit tools pty\n  $ mcpkit tools trueppm --env TRUEPPM_API_URL=https://ppm.example.com --env TRUEPPM_API_TOKEN=tppm_…\n  $ mcpkit tools --url http://127.0.0.1:3344/mcp --json",
    )
    .action(async (server: string | undefined, flags) => {
      const { runTools } = await import("./tools.ts");
      await runTools(server, flags, commands);
    });
}

function callCommand(commands: readonly ServerCommandSpec[]): Command {
  return targetOptions(
    new Command("call")
      .summary("run one tool and print its result")
      .description(
        "Start a server (or connect with --url), call one tool with JSON arguments (inline, @file, or @- for " +
          "stdin) and print the result: text for people, the raw result with --json. A tool that fails " +
          "(isError) prints one line on stderr and exits 1.",
      )
      .usage("<server> <tool> [json|@file] [options]  |  call --url <url> <tool> [json|@file]")
      .argument("<words...>", "server, tool and arguments (no server with --url)"),
  )
    .addHelpText(
      "after",
      `\nExamples:\n  $ mcpkit call pty pty_spawn '{"command":"ls","owner":"me"}'\n  $ mcpkit call trueppm whoami --env TRUEPPM_API_URL=… --env TRUEPPM_API_TOKEN=… --json\n  $ mcpkit call --url http://127.0.0.1:3346/mcp pty_list @args.json\n  $ echo '{"owner":"me"}' | mcpkit call pty pty_list @-`,
    )
    .action(async (words: string[], flags) => {
      const { runCall } = await import("./call.ts");
      await runCall(words, flags, commands);
    });
}

/** The client commands, registered after the server table. */
export function clientCommands(commands: readonly ServerCommandSpec[]): Command[] {
  return [toolsCommand(commands), callCommand(commands)];
}
