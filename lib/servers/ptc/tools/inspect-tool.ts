import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { ToolCatalog } from "../catalog.ts";
import { describeTool, notFoundText } from "../inspect.ts";

export function registerInspectTool(server: McpServer, catalog: ToolCatalog): void {
  server.registerTool(
    "inspect_tool",
    {
      title: "Inspect a callable tool",
      description:
        "Returns the schema and description of one tool callable in execute_program, including its outputSchema " +
        "if the upstream server defines one, and a TypeScript declaration of its input and output. Call this " +
        "before writing a script if you need to understand a tool's arguments or return format.",
      inputSchema: z
        .object({
          tool_name: z
            .string()
            .describe("Namespaced tool name (e.g., mcp__financial_data__query_financials)"),
        })
        .strict(),
      outputSchema: z.object({
        name: z.string(),
        description: z.string(),
        inputSchema: z.record(z.string(), z.unknown()),
        outputSchema: z.record(z.string(), z.unknown()).nullable(),
        note: z.string().optional(),
        exactName: z.string().optional(),
        typescript: z.string(),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ tool_name }) => {
      const tool = catalog.get(tool_name);
      if (!tool) return { content: [{ type: "text", text: notFoundText(tool_name) }], isError: true };
      const info = describeTool(tool);
      return { content: [{ type: "text", text: JSON.stringify(info, null, 2) }], structuredContent: info };
    },
  );
}
