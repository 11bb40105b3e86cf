import { McpServer, type Transport } from "@modelcontextprotocol/server";
import type { ToolCall } from "../../core/tools/define-tool.ts";
import { type AnyTool, ToolRegistry } from "../../core/tools/tool-registry.ts";
import type { ToolCatalog } from "./catalog.ts";
import type { ProgramRunner } from "./program-runner.ts";
import type { PtcToolContext } from "./tools/context.ts";
import { executeProgramTool } from "./tools/execute-program.ts";
import { inspectTool } from "./tools/inspect-tool.ts";
import { listCallableTools } from "./tools/list-callable-tools.ts";

const INSTRUCTIONS =
  "Call list_callable_tools to see the downstream tools, inspect_tool for one tool's schema, then execute_program to run a JavaScript, TypeScript or Python program that calls them; only its output returns.";

/** ptc's three tools over a catalog and runner, built once per app and installed on every instance. */
export function ptcRegistry(catalog: ToolCatalog, runner: ProgramRunner): ToolRegistry<PtcToolContext> {
  return new ToolRegistry<PtcToolContext>(
    [listCallableTools, inspectTool, executeProgramTool(runner.defaultLanguage)],
    { context: (call) => ({ catalog, runner, call }) },
  );
}

/** ptc's McpServer: tells the app when it connects (the SDK builds some instances it never connects). */
class PtcServer extends McpServer {
  constructor(
    version: string,
    private readonly connected?: (server: McpServer) => void,
  ) {
    super(
      { name: "mcpkit-ptc", title: "mcpkit ptc (programmatic tool calling)", version },
      {
        capabilities: { logging: {} },
        instructions: INSTRUCTIONS,
        // The three tools never change while ptc runs.
        cacheHints: { "tools/list": { ttlMs: 3_600_000, cacheScope: "public" } },
      },
    );
  }

  override async connect(transport: Transport): Promise<void> {
    await super.connect(transport);
    this.connected?.(this);
  }
}

/**
 * One MCP server instance (per client session, or per 2026-07-28 request) over the shared registry.
 * ptc's own tools never change: downstream changes show in list_callable_tools, not in tools/list.
 */
export function createPtcServer(
  registry: ToolRegistry<PtcToolContext>,
  version: string,
  opts: { extraTools?: readonly AnyTool<ToolCall>[]; connected?: (server: McpServer) => void } = {},
): McpServer {
  const server = new PtcServer(version, opts.connected);
  registry.install(server.server, {}, { extra: opts.extraTools });
  return server;
}
