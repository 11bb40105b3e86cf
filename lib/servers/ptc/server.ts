import { McpServer } from "@modelcontextprotocol/server";
import type { ToolCatalog } from "./catalog.ts";
import type { ProgramRunner } from "./program-runner.ts";
import { registerExecuteProgram } from "./tools/execute-program.ts";
import { registerInspectTool } from "./tools/inspect-tool.ts";
import { registerListCallableTools } from "./tools/list-callable-tools.ts";

/** One MCP server (per client session) over the shared catalog and runner. */
export function createPtcServer(catalog: ToolCatalog, runner: ProgramRunner, version: string): McpServer {
  const server = new McpServer(
    { name: "mcpkit-ptc", title: "mcpkit ptc (programmatic tool calling)", version },
    {
      capabilities: { tools: {}, logging: {} },
      instructions:
        "Call list_callable_tools to see the downstream tools, inspect_tool for one tool's schema, then execute_program to run a JavaScript, TypeScript or Python program that calls them; only its output returns.",
    },
  );
  registerListCallableTools(server, catalog);
  registerInspectTool(server, catalog);
  registerExecuteProgram(server, runner);
  return server;
}
