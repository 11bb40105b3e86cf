import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
} from "@modelcontextprotocol/server";

/**
 * Every mcpkit server answers `logging/setLevel` (clients send it unprompted; the conformance suite
 * checks it). Declaring the logging capability makes the SDK install its own handler; capabilities merge,
 * so declaring it again is harmless. Call before the transport connects.
 */
export function ensureLoggingCapability(server: McpServer): void {
  server.server.registerCapabilities({ logging: {} });
}

/**
 * Every mcpkit server answers the resource and prompt list methods: one without resources or prompts
 * lists none instead of answering -32601, so clients that ask unprompted (many do right after connecting)
 * and caches keyed on the list results get an answer. Reading an unknown resource or prompt is then
 * -32602 (SEP-2164). Call after the server registered its own resources and prompts (a later
 * registration would collide with these handlers), before connect.
 */
export function ensureListMethods(server: McpServer): void {
  const declared = server.server.getCapabilities();
  if (!declared.resources) {
    server.server.registerCapabilities({ resources: {} });
    server.server.setRequestHandler("resources/list", () => ({ resources: [] }));
    server.server.setRequestHandler("resources/templates/list", () => ({ resourceTemplates: [] }));
    server.server.setRequestHandler("resources/read", (req) => {
      throw new ResourceNotFoundError(
        req.params.uri,
        `Resource not found: ${req.params.uri} (this server has none)`,
      );
    });
  }
  if (!declared.prompts) {
    server.server.registerCapabilities({ prompts: {} });
    server.server.setRequestHandler("prompts/list", () => ({ prompts: [] }));
    server.server.setRequestHandler("prompts/get", (req) => {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Prompt ${req.params.name} not found (this server has none)`,
      );
    });
  }
}
