import type { McpServer } from "@modelcontextprotocol/server";

/**
 * Every mcpkit server answers `logging/setLevel` (clients send it unprompted; the conformance suite
 * checks it). Declaring the logging capability makes the SDK install its own handler; capabilities merge,
 * so declaring it again is harmless. Call before the transport connects.
 */
export function ensureLoggingCapability(server: McpServer): void {
  server.server.registerCapabilities({ logging: {} });
}
