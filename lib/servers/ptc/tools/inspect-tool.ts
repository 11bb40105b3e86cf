import { z } from "zod";
import { describeTool, notFoundText } from "../inspect.ts";
import { ptcTool } from "./context.ts";

export const inspectTool = ptcTool({
  name: "inspect_tool",
  title: "Inspect a callable tool",
  description:
    "Returns the schema and description of one tool callable in execute_program, including its outputSchema " +
    "if the upstream server defines one, and a TypeScript declaration of its input and output. Call this " +
    "before writing a script if you need to understand a tool's arguments or return format.",
  input: z
    .object({
      tool_name: z.string().describe("Namespaced tool name (e.g., mcp__financial_data__query_financials)"),
    })
    .strict(),
  output: z.object({
    name: z.string(),
    description: z.string(),
    inputSchema: z.record(z.string(), z.unknown()),
    outputSchema: z.record(z.string(), z.unknown()).nullable(),
    note: z.string().optional(),
    exactName: z.string().optional(),
    typescript: z.string(),
  }),
  hints: "read",
  handler({ tool_name }, { catalog }) {
    const tool = catalog.get(tool_name);
    if (!tool) return { content: [{ type: "text", text: notFoundText(tool_name) }], isError: true };
    const info = describeTool(tool);
    return { content: [{ type: "text", text: JSON.stringify(info, null, 2) }], structuredContent: info };
  },
});
