import { McpServer } from "@modelcontextprotocol/server";
import type { ServerApp, ServerContext } from "../../core/app.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { type AnyTool, ToolRegistry, type ToolSelection } from "../../core/tools/tool-registry.ts";
import { ptyCommand } from "./command.ts";
import { type PtyConfig, ptyConfig } from "./config.ts";
import { PtyApp } from "./pty-app.ts";
import { makeContext, type PtyToolContext, type Tier } from "./tools/context.ts";
import { TOOLS } from "./tools/index.ts";

/** Tiers as a selection over the inventory: control/admin tools are hidden unless enabled. */
function tierSelection(config: PtyConfig): ToolSelection<PtyToolContext> {
  const enabled: Record<Tier, boolean> = {
    default: true,
    control: config.enableControlTools,
    admin: config.enableAdminTools,
  };
  return {
    visible: (tool: AnyTool<PtyToolContext>) => enabled[(tool.tier ?? "default") as Tier] ?? false,
    // pty-mcp's words for a hidden tool called by name.
    refusal: (tool) => `tool disabled by policy: ${tool.name}`,
  };
}

export async function start(ctx: ServerContext): Promise<ServerApp> {
  const config = ptyConfig(serverSettings(ctx, ptyCommand), ctx.env);
  // PTY_MCP_LOG and PTY_MCP_LOG_FORMAT are variables of the shared log settings: ctx.log honours them.
  const log = ctx.log;
  const app = new PtyApp(config, log, ctx.version);
  const { createTmuxBackend } = await import("./tmux-setup.ts");
  await createTmuxBackend(app);

  // One registry for the app: listings are computed once, however many server instances are made
  // (2026-07-28 HTTP makes one per request).
  const registry = new ToolRegistry<PtyToolContext>(TOOLS, {
    context: (call) => makeContext(app, call),
    onUnexpected: (error, tool) => log.debug(`tool ${tool.name} failed`, { error: String(error) }),
  });
  const selection = tierSelection(config);

  return {
    createServer(extensions) {
      const server = new McpServer(
        { name: "pty-mcp", title: "mcpkit pty", version: ctx.version },
        {
          capabilities: { logging: {} },
          instructions:
            "PTY runner: pty_spawn starts a command in a terminal (pass owner), pty_read/pty_read_until/pty_write drive it, pty_screen shows TUIs, pty_close ends it.",
        },
      );
      registry.install(server.server, selection, { extra: extensions?.tools });
      extensions?.register?.(server);
      return server;
    },
    close: () => app.close(),
  };
}
