import type { ServerResponse } from "node:http";
import type { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import {
  CLIENT_CAPABILITIES_META_KEY,
  type JSONRPCMessage,
  PROTOCOL_VERSION_META_KEY,
  type RequestId,
  SUBSCRIPTION_ID_META_KEY,
} from "@modelcontextprotocol/server";
import { type ChildCommand, spawnChild } from "./child.ts";

// 2026-07-28 lane: every stateless HTTP request goes to one child whose stdio connection is pinned to
// the modern era. Request ids are rewritten (clients reuse them across requests), and back again in the
// answer, in the notifications routed to it and in subscription stamps. A response is JSON unless a
// notification for that request arrived first, then SSE, as over HTTP.

type Message = JSONRPCMessage & {
  id?: RequestId;
  method?: string;
  params?: Record<string, unknown> & { _meta?: Record<string, unknown> };
  result?: Record<string, unknown> & { _meta?: Record<string, unknown> };
  error?: { code: number };
};

const MODERN = "2026-07-28";
const OPENING_ID = "bridge-opening";

class Exchange {
  done = false;
  constructor(
    readonly clientId: RequestId,
    readonly bridgeId: string,
    readonly res: ServerResponse,
    readonly progressToken: unknown,
    readonly listen: boolean,
  ) {}

  /** The message as the HTTP client must see it: its own id wherever the bridge's stands. */
  private restore(msg: Message): Message {
    const swap = <T extends { _meta?: Record<string, unknown> }>(part: T | undefined): T | undefined =>
      part?._meta?.[SUBSCRIPTION_ID_META_KEY] === this.bridgeId
        ? { ...part, _meta: { ...part._meta, [SUBSCRIPTION_ID_META_KEY]: this.clientId } }
        : part;
    const out: Message = { ...msg };
    if (out.id === this.bridgeId) out.id = this.clientId;
    if (out.params) out.params = swap(out.params);
    if (out.result) out.result = swap(out.result);
    return out;
  }

  event(msg: Message): void {
    if (!this.res.headersSent) {
      this.res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    }
    this.res.write(`event: message\ndata: ${JSON.stringify(this.restore(msg))}\n\n`);
  }

  finish(msg: Message): void {
    this.done = true;
    if (this.res.headersSent) {
      this.event(msg);
      this.res.end();
      return;
    }
    // As over HTTP: in-band errors are 200, except a missing client capability (400).
    const status = msg.error?.code === -32021 ? 400 : 200;
    this.res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(this.restore(msg)));
  }
}

export class ModernLane {
  private child: Promise<StdioClientTransport> | undefined;
  private readonly exchanges = new Map<string, Exchange>();
  private next = 0;

  constructor(private readonly cmd: ChildCommand) {}

  async handle(res: ServerResponse, body: Message): Promise<void> {
    const child = await this.start();
    if (body.id === undefined || body.method === undefined) {
      await child.send(body);
      res.writeHead(202).end();
      return;
    }
    const bridgeId = `bridge-${++this.next}`;
    const token = (body.params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
    const exchange = new Exchange(body.id, bridgeId, res, token, body.method === "subscriptions/listen");
    this.exchanges.set(bridgeId, exchange);
    // A client that closes the stream cancels the request (the 2026-07-28 HTTP rule); stdio says it.
    res.once("close", () => {
      if (exchange.done) return;
      this.exchanges.delete(bridgeId);
      void child
        .send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: bridgeId } })
        .catch(() => {});
    });
    await child.send({ ...body, id: bridgeId } as JSONRPCMessage);
  }

  /** The child, started and pinned to 2026-07-28 by a well-formed first request. */
  private start(): Promise<StdioClientTransport> {
    this.child ??= (async () => {
      const child = spawnChild(this.cmd);
      const opened = new Promise<void>((resolve, reject) => {
        child.onmessage = (msg) => {
          if ((msg as Message).id === OPENING_ID) {
            child.onmessage = (m) => this.route(m as Message);
            if ("error" in msg)
              reject(new Error(`the child refused a 2026-07-28 opening: ${JSON.stringify(msg)}`));
            else resolve();
          }
        };
        child.onclose = () => reject(new Error("the child exited before answering its opening request"));
      });
      await child.start();
      await child.send({
        jsonrpc: "2.0",
        id: OPENING_ID,
        method: "tools/list",
        params: { _meta: { [PROTOCOL_VERSION_META_KEY]: MODERN, [CLIENT_CAPABILITIES_META_KEY]: {} } },
      } as JSONRPCMessage);
      await opened;
      child.onclose = () => {
        for (const ex of this.exchanges.values()) if (!ex.res.writableEnded) ex.res.destroy();
        this.exchanges.clear();
        this.child = undefined;
      };
      return child;
    })();
    return this.child;
  }

  private route(msg: Message): void {
    if (msg.method === undefined) {
      const exchange = this.exchanges.get(String(msg.id));
      if (!exchange) return;
      this.exchanges.delete(exchange.bridgeId);
      exchange.finish(msg);
      return;
    }
    const open = [...this.exchanges.values()];
    const stamp = msg.params?._meta?.[SUBSCRIPTION_ID_META_KEY];
    const progressToken = msg.params?.progressToken;
    const target =
      (stamp !== undefined && this.exchanges.get(String(stamp))) ||
      (progressToken !== undefined && open.find((e) => e.progressToken === progressToken)) ||
      open.filter((e) => !e.listen).at(-1);
    target?.event(msg);
  }

  async close(): Promise<void> {
    const child = await this.child?.catch(() => undefined);
    await child?.close();
  }
}
