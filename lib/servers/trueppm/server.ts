import type { CallToolResult } from "@modelcontextprotocol/server";
import { McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import type { TrueppmConfig } from "./config.ts";
import { TrueppmApiError } from "./errors.ts";
import type { TrueppmHttpClient } from "./http-client.ts";
import { INSTRUCTIONS } from "./instructions.ts";
import { toolContext } from "./tools/define.ts";
import { ToolInputError } from "./tools/errors.ts";
import { READ_ONLY_ANNOTATIONS, TOOLS } from "./tools/inventory.ts";

/**
 * An API failure becomes a tool result the agent can act on: the original's message (with its
 * `Error executing tool <name>: ` prefix) on the first line, what to do on the next.
 */
function failure(config: TrueppmConfig, tool: string, err: unknown): CallToolResult {
  let text: string;
  if (err instanceof TrueppmApiError) {
    text = `Error executing tool ${tool}: ${err.message}${err.hint ? `\n${err.hint}` : ""}`;
  } else if (err instanceof ToolInputError) {
    text = `Error executing tool ${tool}: ${err.message}`;
  } else {
    const msg = err instanceof Error ? err.message : String(err);
    text = `Error executing tool ${tool}: internal error: ${msg}`;
  }
  return { isError: true, content: [{ type: "text", text: config.scrub(text) }] };
}

/** One McpServer per client session, all sharing the process-wide HTTP client. */
export function createTrueppmServer(
  api: TrueppmHttpClient,
  config: TrueppmConfig,
  version: string,
): McpServer {
  const server = new McpServer({ name: "trueppm", version }, { instructions: INSTRUCTIONS });
  const ctx = toolContext(api, config);
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: z.object(tool.input).strict(),
        outputSchema: tool.output,
        annotations: { title: tool.title, ...READ_ONLY_ANNOTATIONS },
      },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          const result = await tool.handler(args, ctx);
          // The token never belongs in a result; scrub in case the API ever echoes it.
          const text = config.scrub(JSON.stringify(result));
          return { content: [{ type: "text", text }], structuredContent: JSON.parse(text) };
        } catch (err) {
          return failure(config, tool.name, err);
        }
      },
    );
  }
  return server;
}
