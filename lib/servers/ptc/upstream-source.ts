import type { Tool } from "@modelcontextprotocol/server";
import { UpstreamError, type UpstreamPool } from "../../upstream/index.ts";
import type { CallOptions, DownstreamTool, ServerState, ToolSource } from "./types.ts";

/** How long start-up waits for each server's first connection attempt (PTC-MCP waits up to ~35 s). */
const FIRST_ATTEMPT_LIMIT_MS = 35_000;

/**
 * lib/upstream's pool as ptc's ToolSource: the tools of connected servers (kept current through the pool's
 * list_changed and reconnect notifications), their states, and calls with ptc's per-call timeout.
 */
export class PoolToolSource implements ToolSource {
  private readonly cache = new Map<string, Tool[]>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly pool: UpstreamPool) {
    for (const name of pool.names()) {
      const conn = pool.get(name)!;
      conn.onToolsChanged((tools) => {
        this.cache.set(name, tools);
        this.notify();
      });
      conn.onStateChange(() => this.notify());
    }
  }

  /** Starts every server and waits for each one's first attempt, so start-up sees the tools that exist. */
  async start(): Promise<void> {
    this.pool.startAll();
    await Promise.all(
      this.pool.names().map(async (name) => {
        const conn = this.pool.get(name)!;
        await new Promise<void>((resolve) => {
          const settled = () => conn.state !== "connecting" && conn.state !== "idle";
          if (settled()) return resolve();
          const timer = setTimeout(done, FIRST_ATTEMPT_LIMIT_MS);
          const off = conn.onStateChange(() => settled() && done());
          function done() {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
        if (conn.state === "connected") {
          const tools = await conn.listTools().catch(() => undefined);
          if (tools) this.cache.set(name, tools);
        }
      }),
    );
  }

  tools(): DownstreamTool[] {
    const out: DownstreamTool[] = [];
    for (const name of this.pool.names()) {
      if (this.pool.get(name)?.state !== "connected") continue;
      for (const t of this.cache.get(name) ?? []) {
        out.push({
          server: name,
          name: t.name,
          ...(t.title ? { title: t.title } : {}),
          ...(t.description ? { description: t.description } : {}),
          inputSchema: t.inputSchema as Record<string, unknown>,
          ...(t.outputSchema ? { outputSchema: t.outputSchema as Record<string, unknown> } : {}),
        });
      }
    }
    return out;
  }

  servers(): ServerState[] {
    return this.pool.health().map((h) => ({
      name: h.name,
      connected: h.state === "connected",
      tools: h.state === "connected" ? (this.cache.get(h.name)?.length ?? h.toolCount) : 0,
      ...(h.state !== "connected" ? { error: h.lastError ?? h.state } : {}),
    }));
  }

  async call(server: string, tool: string, args: Record<string, unknown>, opts: CallOptions) {
    try {
      return await this.pool.callTool(server, tool, args, {
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
    } catch (err) {
      // The upstream message already names the server; keep it, drop the class name.
      if (err instanceof UpstreamError) throw new Error(err.message);
      throw err;
    }
  }

  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
