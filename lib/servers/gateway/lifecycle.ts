import type { Logger } from "../../core/log.ts";
import type { PendingCalls } from "./pending.ts";
import { GatewayError, type ServerEntry, type ServerTable } from "./server-table.ts";

export interface LifecycleSettings {
  /** A started server unused this long is stopped; 0 turns reaping off. */
  idleTimeoutMs: number;
  /** Most local (stdio) downstream processes running at once. */
  maxRunning: number;
}

/** How long a start waits for a slot held only by servers that are starting or being indexed. */
const SLOT_WAIT_MS = 30_000;
const SLOT_POLL_MS = 50;

/**
 * Keeps the number of downstream processes in check: stops servers that sat unused for the idle
 * timeout, and before a new process starts beyond `maxRunning`, stops the least recently used idle
 * one. A server with a call in flight, one being started or indexed, and autoStart servers are never
 * stopped. Only local (stdio) servers count toward the cap; idle remote connections are closed too,
 * in-process built-ins are left alone (they cost no process). A stopped server restarts on next use.
 */
export class DownstreamLifecycle {
  reaped = 0;
  evicted = 0;
  private timer?: ReturnType<typeof setInterval>;
  /** Starts waiting in makeRoom: they hold no slot yet, and must not make each other wait. */
  private readonly admitting = new Set<ServerEntry>();

  constructor(
    private readonly servers: ServerTable,
    private readonly pending: PendingCalls,
    readonly settings: LifecycleSettings,
    private readonly log: Logger,
  ) {}

  /** Starts the idle check (a no-op when reaping is off). */
  start(): void {
    if (this.timer || this.settings.idleTimeoutMs <= 0) return;
    const every = Math.max(250, Math.min(30_000, Math.floor(this.settings.idleTimeoutMs / 4)));
    this.timer = setInterval(() => void this.reapIdle(), every);
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Local processes count toward the cap. */
  countsTowardCap(entry: ServerEntry): boolean {
    return entry.raw.transport === "stdio";
  }

  /** Servers the gateway may stop on its own: not autoStart and not in-process. */
  reapable(entry: ServerEntry): boolean {
    return !entry.eager && entry.raw.transport !== "memory";
  }

  /** Something is using the server now: a call in flight, a start under way, or the indexer. */
  busy(entry: ServerEntry): boolean {
    return (
      entry.indexing ||
      entry.starting !== undefined ||
      entry.conn?.state === "connecting" ||
      this.pending.list(entry.name).length > 0
    );
  }

  /** When the server was last used: asked for, or a call on it finished. */
  lastActive(entry: ServerEntry): number {
    return Math.max(entry.lastUsed ?? 0, entry.startedAt ?? 0, this.pending.lastEnded(entry.name));
  }

  running(): ServerEntry[] {
    return this.servers.all().filter((e) => this.servers.isRunning(e));
  }

  /** Processes counted toward the cap now. */
  processCount(): number {
    return this.running().filter((e) => this.countsTowardCap(e)).length;
  }

  /** Stops every reapable server idle for the timeout. */
  async reapIdle(now = Date.now()): Promise<void> {
    const limit = this.settings.idleTimeoutMs;
    if (limit <= 0) return;
    for (const entry of this.running()) {
      if (!this.reapable(entry) || this.busy(entry)) continue;
      if (now - this.lastActive(entry) < limit) continue;
      this.reaped++;
      this.log.info("stopping an idle downstream server", {
        server: entry.name,
        idle_s: Math.round((now - this.lastActive(entry)) / 1000),
      });
      await this.servers.stop(entry.name, "idle").catch(() => {});
    }
  }

  /**
   * Makes room for `entry` to start: while the cap is reached, stops the least recently used server
   * that is idle. When every running server is busy, waits while some are only starting or indexing
   * (that ends soon), and fails with an actionable error when all have calls in flight.
   */
  async makeRoom(entry: ServerEntry): Promise<void> {
    if (!this.countsTowardCap(entry)) return;
    this.admitting.add(entry);
    try {
      await this.admit(entry);
    } finally {
      this.admitting.delete(entry);
    }
  }

  private async admit(entry: ServerEntry): Promise<void> {
    const deadline = Date.now() + SLOT_WAIT_MS;
    // A start that was admitted holds its slot until it runs (or fails), so that concurrent starts of
    // different servers cannot overshoot the cap; one still waiting here holds none.
    const admittedStart = (e: ServerEntry) => e.starting !== undefined && !this.admitting.has(e);
    for (;;) {
      const others = this.servers
        .all()
        .filter(
          (e) => e !== entry && this.countsTowardCap(e) && (this.servers.isRunning(e) || admittedStart(e)),
        );
      if (others.length < this.settings.maxRunning) {
        // Holds its slot from now on: synchronously, before any other start is looked at.
        this.admitting.delete(entry);
        return;
      }
      const victim = others
        .filter((e) => this.reapable(e) && !this.busy(e))
        .sort((a, b) => this.lastActive(a) - this.lastActive(b))[0];
      if (victim) {
        this.evicted++;
        this.log.info("stopping the least recently used downstream server (max_running)", {
          server: victim.name,
          starting: entry.name,
          max_running: this.settings.maxRunning,
        });
        await this.servers.stop(victim.name, "evicted").catch(() => {});
        continue;
      }
      const transient = others.some(
        (e) => this.reapable(e) && (e.indexing || admittedStart(e) || e.conn?.state === "connecting"),
      );
      if (!transient || Date.now() > deadline) {
        const inFlight = others.filter((e) => this.pending.list(e.name).length > 0).map((e) => e.name);
        throw new GatewayError(
          `cannot start '${entry.name}': ${this.settings.maxRunning} downstream servers are running (max_running) and none can be stopped` +
            `${inFlight.length ? ` (calls in flight on ${inFlight.join(", ")})` : " (autoStart or busy)"}; ` +
            "retry when a call finishes, or raise lifecycle.max_running in the policy (--max-running)",
          "max_running",
          { max_running: this.settings.maxRunning, running: others.map((e) => e.name) },
        );
      }
      await new Promise((r) => setTimeout(r, SLOT_POLL_MS));
    }
  }
}
