import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

/** How the bridge starts the stdio server under test (one process per 2025 session, one for 2026). */
export interface ChildCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** A raw JSON-RPC pipe to a fresh child: messages pass untouched in both directions. */
export function spawnChild(cmd: ChildCommand): StdioClientTransport {
  return new StdioClientTransport({
    command: cmd.command,
    args: cmd.args,
    env: cmd.env,
    cwd: cmd.cwd,
    stderr: "ignore",
  });
}
