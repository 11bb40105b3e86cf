import { McpServer } from "@modelcontextprotocol/server";
import type { ServerExtensions } from "../../core/app.ts";
import { errorMessage } from "../../core/errors.ts";
import { errorResult, ToolError } from "../../core/tools/define-tool.ts";
import { ToolRegistry } from "../../core/tools/tool-registry.ts";
import type { TrueppmConfig } from "./config.ts";
import { TrueppmApiError } from "./errors.ts";
import type { TrueppmHttpClient } from "./http-client.ts";
import { INSTRUCTIONS } from "./instructions.ts";
import { type TrueppmToolContext, toolContext } from "./tools/define.ts";
import { TOOLS } from "./tools/inventory.ts";

/**
 * 2026-07-28 cache hints: the tool list is fixed for the process and the same for every caller, so clients
 * may keep it for an hour. (trueppm serves no resources; its data only ever comes through tool calls.)
 */
export const CACHE_HINTS = { "tools/list": { ttlMs: 3_600_000, cacheScope: "public" } } as const;

/**
 * The one registry of a trueppm process. A failure becomes a result the agent can act on: the original's
 * message (with its `Error executing tool <name>: ` prefix) on the first line, what to do on the next, the
 * token scrubbed.
 */
export function trueppmRegistry(
  api: TrueppmHttpClient,
  config: TrueppmConfig,
): ToolRegistry<TrueppmToolContext> {
  return new ToolRegistry<TrueppmToolContext>(TOOLS, {
    context: (call) => toolContext(call, api, config),
    failure(err, tool) {
      let text: string;
      if (err instanceof TrueppmApiError) {
        text = `Error executing tool ${tool.name}: ${err.message}${err.hint ? `\n${err.hint}` : ""}`;
      } else if (err instanceof ToolError) {
        text = `Error executing tool ${tool.name}: ${err.message}`;
      } else {
        text = `Error executing tool ${tool.name}: internal error: ${errorMessage(err)}`;
      }
      return errorResult(config.scrub(text));
    },
  });
}

/** One McpServer per client session (or 2026-07-28 request), all sharing the process-wide registry. */
export function createTrueppmServer(
  registry: ToolRegistry<TrueppmToolContext>,
  version: string,
  extensions?: ServerExtensions,
): McpServer {
  const server = new McpServer(
    { name: "trueppm", version },
    { instructions: INSTRUCTIONS, cacheHints: CACHE_HINTS },
  );
  registry.install(server.server, {}, { extra: extensions?.tools });
  extensions?.register?.(server);
  return server;
}
