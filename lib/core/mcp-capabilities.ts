import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SetLevelRequestSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * Every mcpkit server answers `logging/setLevel` (clients send it unprompted; the conformance suite
 * checks it). Servers built without the logging capability get it here, before the transport connects.
 */
export function ensureLoggingCapability(server: McpServer): void {
  const inner = server.server as unknown as { _capabilities?: { logging?: object } };
  if (inner._capabilities?.logging) return;
  server.server.registerCapabilities({ logging: {} });
  server.server.setRequestHandler(SetLevelRequestSchema, async () => ({}));
}
