import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/server";
import { type ChildCommand, spawnChild } from "./child.ts";

// 2025-era lane: one child per session. The SDK's session transport does the HTTP side (sessions, GET
// streams, DELETE); JSON-RPC messages are forwarded untouched.

const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId; method: string } =>
  "method" in m && "id" in m;
const isResponse = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId } =>
  !("method" in m) && "id" in m;

export class SessionLane {
  private readonly sessions = new Map<
    string,
    { http: NodeStreamableHTTPServerTransport; close(): Promise<void> }
  >();

  constructor(private readonly cmd: ChildCommand) {}

  has(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Serves a request of an existing session, or the initialize that opens a new one. */
  async handle(req: IncomingMessage, res: ServerResponse, sessionId: string | undefined, body?: unknown) {
    const existing = sessionId ? this.sessions.get(sessionId) : undefined;
    const http = existing?.http ?? (await this.open());
    await http.handleRequest(req, res, body);
  }

  private async open(): Promise<NodeStreamableHTTPServerTransport> {
    const child = spawnChild(this.cmd);
    // Client requests still waiting for an answer: server-initiated messages go to the newest one's
    // stream, which is where a progress note or a sampling request during a tool call belongs.
    const inflight: RequestId[] = [];
    const http: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { http, close: () => child.close() });
      },
    });
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
      if (http.sessionId) this.sessions.delete(http.sessionId);
      void http.close();
    };
    await child.start();
    await http.start();
    return http;
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => s.close()));
  }
}
