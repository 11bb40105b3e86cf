import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { errorMessage } from "../core/errors.ts";
import {
  type CallToolOptions,
  type ConnectionOptions,
  UpstreamConnection,
  type UpstreamHealth,
} from "./connection.ts";
import { UpstreamError } from "./errors.ts";
import type { UpstreamSpec } from "./specs.ts";

export interface ServerTools {
  server: string;
  tools: Tool[];
  /** Why this server's tools are missing, when they are. */
  error?: string;
}

/** Many upstream connections by name: background start-up, lazy servers, one health view, one shutdown. */
export class UpstreamPool {
  private readonly connections = new Map<string, UpstreamConnection>();
  private closed = false;

  constructor(
    specs: UpstreamSpec[] = [],
    private readonly opts: ConnectionOptions = {},
  ) {
    for (const spec of specs) this.add(spec);
  }

  /** Adds a server (not yet started); a duplicate name is a programming error. */
  add(spec: UpstreamSpec): UpstreamConnection {
    if (this.closed) throw new Error("UpstreamPool is closed");
    if (this.connections.has(spec.name)) throw new Error(`duplicate upstream server name '${spec.name}'`);
    const conn = new UpstreamConnection(spec, this.opts);
    this.connections.set(spec.name, conn);
    return conn;
  }

  /** Closes and forgets one server. */
  async remove(name: string): Promise<void> {
    const conn = this.connections.get(name);
    this.connections.delete(name);
    await conn?.close();
  }

  names(): string[] {
    return [...this.connections.keys()];
  }

  get(name: string): UpstreamConnection | undefined {
    return this.connections.get(name);
  }

  /**
   * Starts every non-lazy server in the background and returns at once. Failures never throw: they show in
   * `health()` and are retried with backoff.
   */
  startAll(): void {
    for (const conn of this.connections.values()) {
      if (!conn.spec.lazy) conn.start();
    }
  }

  /** Connects a server on first use; concurrent callers share one attempt. */
  async ensureConnected(name: string): Promise<UpstreamConnection> {
    const conn = this.require(name);
    await conn.ensureConnected();
    return conn;
  }

  async callTool(
    server: string,
    tool: string,
    args: Record<string, unknown> = {},
    opts: CallToolOptions = {},
  ): Promise<CallToolResult> {
    const conn = await this.ensureConnected(server);
    return conn.callTool(tool, args, opts);
  }

  /**
   * Tools per server, for every server that is connected (or, with `connectLazy`, can be connected now).
   * A server that cannot answer is listed with its error instead of failing the whole call.
   */
  async listAllTools(opts: { connectLazy?: boolean } = {}): Promise<ServerTools[]> {
    const entries = [...this.connections.values()].filter(
      (c) => c.state === "connected" || (opts.connectLazy && c.spec.lazy && c.state === "idle"),
    );
    return Promise.all(
      entries.map(async (conn): Promise<ServerTools> => {
        try {
          return { server: conn.name, tools: await conn.listTools() };
        } catch (err) {
          return { server: conn.name, tools: [], error: errorMessage(err) };
        }
      }),
    );
  }

  health(): UpstreamHealth[] {
    return [...this.connections.values()].map((c) => c.health());
  }

  /** Closes every connection (children and their process groups included). Idempotent. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }

  private require(name: string): UpstreamConnection {
    const conn = this.connections.get(name);
    if (!conn) {
      const known = this.names();
      throw new UpstreamError(
        name,
        "unavailable",
        `no upstream server named '${name}'${known.length ? ` (known: ${known.join(", ")})` : ""}`,
      );
    }
    return conn;
  }
}
