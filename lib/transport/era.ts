import type { IncomingMessage } from "node:http";
import { classifyInboundRequest } from "@modelcontextprotocol/server";

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * True when an HTTP request belongs to the 2026-07-28 era: it claims the per-request `_meta` envelope
 * (or a modern `MCP-Protocol-Version` header), malformed claims included, so the modern handler answers
 * them with its own errors. The SDK's classifier over the already-parsed body: the same verdict as
 * `isLegacyRequest`, without rebuilding and re-reading a web Request.
 */
export function isModernRequest(req: IncomingMessage, body: unknown): boolean {
  return (
    classifyInboundRequest({
      httpMethod: req.method ?? "POST",
      protocolVersionHeader: header(req, "mcp-protocol-version"),
      mcpMethodHeader: header(req, "mcp-method"),
      mcpNameHeader: header(req, "mcp-name"),
      body,
    }).kind !== "legacy"
  );
}
