import { z } from "zod";
import { unavailableLine } from "../inspect.ts";
import { rankTools } from "../search.ts";
import { ptcTool } from "./context.ts";

/** JSON like Python's json.dumps of a list of strings (", " between items), as PTC-MCP prints it. */
function pyJsonList(names: string[]): string {
  return `[${names.map((n) => JSON.stringify(n)).join(", ")}]`;
}

export const listCallableTools = ptcTool({
  name: "list_callable_tools",
  title: "List callable tools",
  description:
    "Returns a JSON list of the tool names callable inside execute_program (sorted). Pass `query` to rank " +
    "them by relevance instead (BM25 over names, descriptions and parameters) when there are many. Servers " +
    "that are down are named in a second line; their tools return when they reconnect.",
  input: z
    .object({
      query: z.string().optional().describe("Words describing what you need; ranks the tools by relevance"),
    })
    .strict(),
  output: z.object({
    tools: z.array(z.string()),
    unavailable: z.array(z.object({ name: z.string(), error: z.string() })),
  }),
  hints: "read",
  handler({ query }, { catalog }) {
    const names = query?.trim() ? rankTools([...catalog.tools().values()], query) : catalog.names();
    const down = catalog.servers().filter((s) => !s.connected);
    const line = unavailableLine(catalog);
    return {
      content: [
        { type: "text", text: pyJsonList(names) },
        ...(line ? [{ type: "text" as const, text: line }] : []),
      ],
      structuredContent: {
        tools: names,
        unavailable: down.map((s) => ({ name: s.name, error: s.error ?? "connecting" })),
      },
    };
  },
});
