import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { type PtySettings, ptySettings } from "./settings.ts";

export const ptyCommand: ServerCommandSpec<PtySettings> = {
  name: "pty",
  aliases: ["pty-mcp"],
  summary: "pseudo-terminal runner: spawn, read, write, wait for patterns",
  description:
    "A drop-in replacement for pty-mcp 0.2.0: the same tools, arguments and PTY_MCP_* variables, with a real " +
    "terminal by default, non-destructive output history, rendered screens (pty_screen), named keys, " +
    "event-driven waits and a tmux backend. Every PTY_MCP_* variable is documented in the pty README.",
  defaultPort: 3346,
  authTokenEnv: ["PTY_MCP_AUTH_TOKEN"],
  // pty-mcp's logging variables set the shared log settings (after --log-level and MCPKIT_LOG_LEVEL).
  sharedEnv: { logLevel: ["PTY_MCP_LOG"], logFormat: ["PTY_MCP_LOG_FORMAT"] },
  settings: ptySettings,
  examples: [
    "mcpkit pty",
    "PTY_MCP_REQUIRE_OWNER=0 mcpkit pty",
    "mcpkit pty --enable-admin-tools --backend tmux",
    "mcpkit pty --transport http --port 3346",
  ],
  load: () => import("./index.ts"),
};
