// A fault-injecting HTTP proxy on 127.0.0.1 in front of a fake REST backend: requests whose path
// matches a rule hang, get their connection reset, a 5xx, an HTML page, a truncated or garbled body,
// or a slow answer; everything else is forwarded unchanged.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultMode = "hang" | "reset" | "5xx" | "html" | "truncate" | "bad-json" | "slow" | "empty";

interface Rule {
  match: RegExp;
  mode: FaultMode;
}

export class FaultProxy {
  url = "";
  private server: Server | undefined;
  private rules: Rule[] = [];
  /** Faulted requests by mode. */
  readonly hits = new Map<FaultMode, number>();

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  inject(match: RegExp, mode: FaultMode): void {
    this.rules.unshift({ match, mode });
  }

  clear(): void {
    this.rules = [];
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, any>; body: Buffer }> {
    const t = new URL(this.target);
    return new Promise((resolve, reject) => {
      const up = request(
        {
          host: t.hostname,
          port: t.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: t.host },
          agent: false,
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () =>
            resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }),
          );
          r.on("error", reject);
        },
      );
      up.on("error", reject);
      up.end(body);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const rule = this.rules.find((r) => r.match.test(req.url ?? ""));
    if (rule) this.hits.set(rule.mode, (this.hits.get(rule.mode) ?? 0) + 1);
    switch (rule?.mode) {
      case "hang":
        return; // never answers; close() drops the socket
      case "reset":
        req.socket.destroy();
        return;
      case "5xx":
        res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
        res.end('{"detail":"upstream unavailable"}');
        return;
      case "html":
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<!doctype html><html><body><form action=/login>Sign in</form></body></html>");
        return;
      case "bad-json":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"results": [1, 2, ');
        return;
      case "empty":
        res.writeHead(200, { "content-type": "application/json" });
        res.end();
        return;
      default:
        break;
    }
    if (rule?.mode === "slow") await new Promise((r) => setTimeout(r, 700));
    let answer: { status: number; headers: Record<string, any>; body: Buffer };
    try {
      answer = await this.forward(req, body);
    } catch {
      req.socket.destroy();
      return;
    }
    const headers = { ...answer.headers };
    delete headers["transfer-encoding"];
    delete headers.connection;
    headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    if (rule?.mode === "truncate") {
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    res.end(answer.body);
  }
}
