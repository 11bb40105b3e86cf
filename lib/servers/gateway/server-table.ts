import type { Tool } from "@modelcontextprotocol/server";
import type { Logger } from "../../core/log.ts";
import {
  type EraVerdicts,
  expandSpec,
  registerSpecSecrets,
  type UpstreamConnection,
  type UpstreamHealth,
  UpstreamPool,
  type UpstreamSpec,
} from "../../upstream/index.ts";
import type { ServerState } from "./types.ts";

export type ServerOrigin = "config" | "builtin" | "manifest" | "discovered";

/** One downstream server the gateway may run. */
export interface ServerEntry {
  name: string;
  origin: ServerOrigin;
  /** The spec as written (placeholders unexpanded), for diffing on refresh. */
  raw: UpstreamSpec;
  eager: boolean;
  /** Variables the spec references that are not set anywhere. */
  missing: string[];
  invoked: boolean;
  conn?: UpstreamConnection;
  /** Fingerprint of the expanded spec the connection runs with. */
  fingerprint?: string;
  /** The credential map the connection was checked against; unchanged means nothing to re-expand. */
  checkedWith?: object;
  /** When a describe/invoke/read last asked for this server (ms since epoch); drives idle reaping. */
  lastUsed?: number;
  /** When the current process was started. */
  startedAt?: number;
  /** True while the indexer holds the server (it is listing it); never reaped or evicted then. */
  indexing: boolean;
  /** A start under way (room made under the process cap, then connect), shared by concurrent callers. */
  starting?: Promise<void>;
  /** Why and when the server was last stopped by the gateway (idle, evicted, indexed, ...). */
  stopped?: { reason: StopReason; at: number };
}

/** Why the gateway stopped a server it had started. */
export type StopReason = "idle" | "evicted" | "indexed" | "index_failed" | "credentials";

/** A user-facing failure with the next step to take. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function fingerprint(spec: UpstreamSpec): string {
  const { create: _c, ...rest } = spec as UpstreamSpec & { create?: unknown };
  return JSON.stringify(rest);
}

/**
 * The servers behind the gateway and their connections. Specs are expanded against the credential
 * lookup at connect time, so a key stored by auth_connect is picked up by the next start; a server whose
 * placeholders are unset is never spawned and reports the variables it needs.
 */
export class ServerTable {
  private readonly entries = new Map<string, ServerEntry>();
  private readonly pool: UpstreamPool;
  private readonly stateListeners = new Set<(server: string, health: UpstreamHealth) => void>();

  constructor(
    private readonly lookup: () => Record<string, string | undefined>,
    parentEnv: Record<string, string | undefined>,
    log: Logger,
    version: string,
    private readonly onTools: (server: string, tools: Tool[]) => void,
    verdicts?: EraVerdicts,
  ) {
    this.pool = new UpstreamPool([], {
      clientInfo: { name: "mcpkit-gateway", version },
      parentEnv,
      log: log.child("downstream"),
      ...(verdicts ? { verdicts } : {}),
    });
  }

  add(raw: UpstreamSpec, origin: ServerOrigin, eager: boolean): ServerEntry {
    const entry: ServerEntry = {
      name: raw.name,
      origin,
      raw,
      eager,
      missing: [],
      invoked: false,
      indexing: false,
    };
    this.entries.set(raw.name, entry);
    this.resolve(entry);
    return entry;
  }

  get(name: string): ServerEntry | undefined {
    return this.entries.get(name);
  }

  /** Every connection state change of every server (connected, reconnecting, closed, ...). */
  onConnectionState(listener: (server: string, health: UpstreamHealth) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  all(): ServerEntry[] {
    return [...this.entries.values()];
  }

  state(entry: ServerEntry): ServerState {
    if (this.isRunning(entry)) return entry.invoked ? "invoked" : "started";
    return "configured";
  }

  /** Started and not stopped: connecting, connected, or reconnecting after a crash. */
  isRunning(entry: ServerEntry): boolean {
    const s = entry.conn?.state;
    return s === "connecting" || s === "connected" || s === "reconnecting";
  }

  /**
   * Runs before a server that is not running starts (the process cap makes room here); a rejection
   * fails the start with its error.
   */
  beforeStart?: (entry: ServerEntry) => Promise<void>;

  /** Expands the spec now; returns the missing variables (empty when it can start). */
  private resolve(entry: ServerEntry): UpstreamSpec | undefined {
    const { spec, missing } = expandSpec(entry.raw, this.lookup());
    entry.missing = missing;
    return missing.length ? undefined : spec;
  }

  /** Starts eager servers in the background, in parallel; never waits and never throws. */
  startEager(): void {
    for (const entry of this.entries.values()) {
      if (!entry.eager) continue;
      const conn = this.connection(entry);
      conn?.start();
    }
  }

  /** The connection for an entry, created (not started) on first need; undefined while variables are missing. */
  private connection(entry: ServerEntry): UpstreamConnection | undefined {
    const env = this.lookup();
    if (entry.conn && entry.checkedWith === env) return entry.conn;
    entry.checkedWith = env;
    const spec = this.resolve(entry);
    if (!spec) return undefined;
    const fp = fingerprint(spec);
    if (entry.conn && entry.fingerprint === fp) return entry.conn;
    if (entry.conn) void this.pool.remove(entry.name);
    registerSpecSecrets(spec);
    const conn = this.pool.add({ ...spec, lazy: true });
    conn.onToolsChanged((tools) => this.onTools(entry.name, tools));
    conn.onStateChange((health) => {
      for (const listener of this.stateListeners) listener(entry.name, health);
    });
    entry.conn = conn;
    entry.fingerprint = fp;
    return conn;
  }

  /**
   * Connects (lazily, once): concurrent callers share the attempt, and a server waiting out a reconnect
   * backoff is retried at once rather than failing the caller.
   */
  async ensure(
    name: string,
    opts: { touch?: boolean } = {},
  ): Promise<{ entry: ServerEntry; conn: UpstreamConnection; tools: Tool[] }> {
    const entry = this.entries.get(name);
    if (!entry) throw new GatewayError(`unknown server '${name}'`, "unknown_server");
    const conn = this.connection(entry);
    if (!conn) {
      throw new GatewayError(
        `server '${name}' needs ${entry.missing.join(", ")} set: call gateway auth_connect(server_name='${name}', env_var='${entry.missing[0]}', credential=...) or export it and refresh`,
        "missing_env",
        { missing_env_vars: entry.missing, next_step: `auth_connect(server_name='${name}')` },
      );
    }
    if (opts.touch !== false) entry.lastUsed = Date.now();
    if (conn.state !== "connected") {
      if (!entry.starting) {
        const wasRunning = this.isRunning(entry);
        entry.starting = (async () => {
          if (!wasRunning) await this.beforeStart?.(entry);
          await conn.connect();
          if (!wasRunning) entry.startedAt = Date.now();
        })().finally(() => {
          entry.starting = undefined;
        });
      }
      await entry.starting;
    }
    const tools = await conn.listTools();
    return { entry, conn, tools };
  }

  /** Closes one server's connection but keeps it configured (a later call starts it again). */
  async stop(name: string, reason?: StopReason): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry?.conn) return;
    if (reason) entry.stopped = { reason, at: Date.now() };
    entry.conn = undefined;
    entry.startedAt = undefined;
    entry.fingerprint = undefined;
    entry.checkedWith = undefined;
    await this.pool.remove(name);
  }

  async remove(name: string): Promise<void> {
    await this.stop(name);
    this.entries.delete(name);
  }

  async closeAll(): Promise<void> {
    await this.pool.closeAll();
  }
}
