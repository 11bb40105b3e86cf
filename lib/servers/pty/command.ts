import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const ptyCommand: ServerCommandSpec = {
  name: "pty",
  aliases: ["pty-mcp"],
  summary: "pseudo-terminal runner: spawn, read, write, wait for patterns",
  description:
    "A drop-in replacement for pty-mcp 0.2.0: the same tools, arguments and PTY_MCP_* variables, with a real " +
    "terminal by default, non-destructive output history, rendered screens (pty_screen), named keys, " +
    "event-driven waits and a tmux backend. Every PTY_MCP_* variable is documented in the pty README.",
  defaultPort: 3346,
  authTokenEnv: ["PTY_MCP_AUTH_TOKEN"],
  options: [
    {
      flags: "--backend <kind>",
      description: "default backend for pty_spawn",
      env: "PTY_MCP_BACKEND",
      choices: ["subprocess", "tmux"],
    },
    {
      flags: "--session-log-dir <dir>",
      description: "write transcript.log and events.jsonl per session",
      env: "PTY_MCP_SESSION_LOG_DIR",
    },
    {
      flags: "--enable-admin-tools",
      description: "expose pty_close_all, limits, cwd, metrics, health (env PTY_MCP_ENABLE_ADMIN_TOOLS=1)",
    },
    {
      flags: "--enable-control-tools",
      description: "expose pty_signal (env PTY_MCP_ENABLE_CONTROL_TOOLS=1)",
    },
  ],
  examples: [
    "mcpkit pty",
    "PTY_MCP_REQUIRE_OWNER=0 mcpkit pty",
    "mcpkit pty --enable-admin-tools --backend tmux",
    "mcpkit pty --transport http --port 3346",
  ],
  load: () => import("./index.ts"),
};
