import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/server";
import { isInitializeRequest } from "@modelcontextprotocol/server";
import { readJsonBody } from "../transport/body.ts";
import { checkHostAndOrigin } from "../transport/guard.ts";

// Testing aid: exposes a stdio MCP server over Streamable HTTP, one child per session, forwarding
// JSON-RPC messages untouched, so an HTTP-only judge (the conformance suite) can test stdio servers.

export interface StdioBridgeOptions {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  port?: number;
}

interface BridgeSession {
  http: NodeStreamableHTTPServerTransport;
  child: StdioClientTransport;
}

const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId; method: string } =>
  "method" in m && "id" in m;
const isResponse = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId } =>
  !("method" in m) && "id" in m;

async function openSession(
  opts: StdioBridgeOptions,
  sessions: Map<string, BridgeSession>,
): Promise<BridgeSession> {
  const child = new StdioClientTransport({
    command: opts.command,
    args: opts.args,
    env: opts.env,
    cwd: opts.cwd,
    stderr: "ignore",
  });
  // Client requests still waiting for an answer: server-initiated messages are routed to the newest
  // one's stream, which is where a progress note or a sampling request during a tool call belongs.
  const inflight: RequestId[] = [];
  const http: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, session);
    },
  });
  const session = { http, child };
  http.onmessage = (msg) => {
    if (isRequest(msg)) inflight.push(msg.id);
    void child.send(msg);
  };
  child.onmessage = (msg) => {
    if (isResponse(msg)) {
      const i = inflight.indexOf(msg.id);
      if (i >= 0) inflight.splice(i, 1);
      void http.send(msg);
      return;
    }
    const related = inflight.at(-1);
    void http.send(msg, related === undefined ? undefined : { relatedRequestId: related });
  };
  http.onclose = () => void child.close();
  child.onclose = () => {
    if (http.sessionId) sessions.delete(http.sessionId);
    void http.close();
  };
  await child.start();
  await http.start();
  return session;
}

export async function startStdioBridge(
  opts: StdioBridgeOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new Map<string, BridgeSession>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const problem = checkHostAndOrigin(req);
    if (problem) {
      res.writeHead(403).end(problem);
      return;
    }
    const sid = req.headers["mcp-session-id"] as string | undefined;
    const body = req.method === "POST" ? await readJsonBody(req, 4 * 1024 * 1024) : undefined;
    let session = sid ? sessions.get(sid) : undefined;
    if (!session) {
      if (sid || !isInitializeRequest(body)) {
        res.writeHead(sid ? 404 : 400).end("no session");
        return;
      }
      session = await openSession(opts, sessions);
    }
    await session.http.handleRequest(req, res, body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await Promise.allSettled([...sessions.values()].map((s) => s.child.close()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
