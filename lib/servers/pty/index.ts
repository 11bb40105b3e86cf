import type { CallToolResult } from "@modelcontextprotocol/server";
import { McpServer } from "@modelcontextprotocol/server";
import type { ServerApp, ServerContext } from "../../core/app.ts";
import { createLogger, parseLogLevel } from "../../core/log.ts";
import { loadConfig, type PtyConfig } from "./config.ts";
import { PtyApp } from "./pty-app.ts";
import { ToolError } from "./tool-error.ts";
import { type Extra, makeContext, type ToolDef } from "./tools/define.ts";
import { TOOLS } from "./tools/index.ts";

function exposed(def: ToolDef, config: PtyConfig): boolean {
  if (def.tier === "control") return config.enableControlTools;
  if (def.tier === "admin") return config.enableAdminTools;
  return true;
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/**
 * Hidden tools stay registered but disabled (so they are not listed); a call by name gets pty-mcp's
 * "tool disabled by policy" message instead of the SDK's generic one.
 */
function refuseHiddenTools(server: McpServer, hidden: Set<string>): void {
  const handlers = (
    server.server as unknown as { _requestHandlers?: Map<string, (req: any, extra: any) => unknown> }
  )._requestHandlers;
  const original = handlers?.get("tools/call");
  if (!handlers || !original) return;
  handlers.set("tools/call", (req, extra) => {
    const name = req?.params?.name;
    if (typeof name === "string" && hidden.has(name)) return errorResult(`tool disabled by policy: ${name}`);
    return original(req, extra);
  });
}

export async function start(ctx: ServerContext): Promise<ServerApp> {
  const config = loadConfig(ctx.env, ctx.options);
  const log =
    config.logLevel || config.logFormat
      ? createLogger({
          level: parseLogLevel(config.logLevel, ctx.log.level),
          format: config.logFormat,
          scope: "pty",
        })
      : ctx.log;
  const app = new PtyApp(config, log, ctx.version);
  const { createTmuxBackend } = await import("./tmux-setup.ts");
  await createTmuxBackend(app);

  return {
    createServer() {
      const server = new McpServer(
        { name: "pty-mcp", title: "mcpkit pty", version: ctx.version },
        {
          capabilities: { tools: {}, logging: {} },
          instructions:
            "PTY runner: pty_spawn starts a command in a terminal (pass owner), pty_read/pty_read_until/pty_write drive it, pty_screen shows TUIs, pty_close ends it.",
        },
      );
      const hidden = new Set<string>();
      for (const def of TOOLS) {
        const registered = server.registerTool(
          def.name,
          {
            title: def.title,
            description: def.description,
            inputSchema: def.inputSchema,
            outputSchema: def.outputSchema,
            annotations: { title: def.title, ...def.annotations },
          },
          async (args: unknown, ctx: Extra) => {
            try {
              return await def.handler(args as never, makeContext(app, ctx, def.name));
            } catch (e) {
              if (!(e instanceof ToolError)) log.debug(`tool ${def.name} failed`, { error: String(e) });
              return errorResult(e instanceof Error ? e.message : String(e));
            }
          },
        );
        if (!exposed(def, config)) {
          registered.disable();
          hidden.add(def.name);
        }
      }
      refuseHiddenTools(server, hidden);
      return server;
    },
    close: () => app.close(),
  };
}
