import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const ptyCommand: ServerCommandSpec = {
  name: "pty",
  aliases: ["pty-mcp"],
  summary: "pseudo-terminal runner: spawn, read, write, wait for patterns",
  defaultPort: 3346,
  authTokenEnv: ["PTY_MCP_AUTH_TOKEN"],
  options: [],
  examples: ["mcpkit pty", "mcpkit pty --transport http --port 3346"],
};
