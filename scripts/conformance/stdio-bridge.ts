import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isInitializeRequest } from "@modelcontextprotocol/server";
import { readJsonBody } from "../../lib/transport/body.ts";
import { isModernRequest } from "../../lib/transport/era.ts";
import { checkHostAndOrigin } from "../../lib/transport/guard.ts";
import type { ChildCommand } from "./bridge/child.ts";
import { ModernLane } from "./bridge/modern-lane.ts";
import { SessionLane } from "./bridge/session-lane.ts";

// Testing aid: exposes a stdio MCP server over Streamable HTTP so an HTTP-only judge (the conformance
// suite) can test it in both eras. 2025-era sessions get a child each; 2026-07-28 requests share one
// child pinned to that era. JSON-RPC passes through untouched (ids aside); what the judge then checks
// about HTTP itself (status codes, headers, streams) is the bridge's, not the server's.

export async function startStdioBridge(
  cmd: ChildCommand & { port?: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new SessionLane(cmd);
  const modern = new ModernLane(cmd);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const problem = checkHostAndOrigin(req);
    if (problem) return void res.writeHead(403).end(problem);
    const sid = req.headers["mcp-session-id"] as string | undefined;
    const body = req.method === "POST" ? await readJsonBody(req, 4 * 1024 * 1024) : undefined;
    if (sid) {
      if (!sessions.has(sid)) return void res.writeHead(404).end("no such session");
      return sessions.handle(req, res, sid, body);
    }
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
    if (isModernRequest(req, body)) return modern.handle(res, body as never);
    if (!isInitializeRequest(body)) return void res.writeHead(400).end("no session: send initialize first");
    return sessions.handle(req, res, undefined, body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(cmd.port ?? 0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await Promise.allSettled([sessions.close(), modern.close()]);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
