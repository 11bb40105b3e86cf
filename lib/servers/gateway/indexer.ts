import { errorMessage } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import { type BackoffPolicy, exponentialBackoff } from "../../upstream/index.ts";
import type { ServerEntry } from "./server-table.ts";

/**
 * Where a server's cards come from:
 * - `cached`: the description cache has cards listed from the same launch spec; nothing is started;
 * - `queued` / `indexing`: waiting for, or in, a background start + listing;
 * - `indexed`: listed by this gateway;
 * - `failed`: the last attempt failed (`error`); retried with backoff (`retry_at`);
 * - `skipped`: not indexed (`reason`: missing variables, or indexing turned off).
 */
export type IndexState = "cached" | "queued" | "indexing" | "indexed" | "failed" | "skipped";

export interface IndexStatus {
  state: IndexState;
  attempts: number;
  error?: string;
  reason?: string;
  /** ms since epoch of the next attempt after a failure. */
  retryAt?: number;
  indexedAt?: number;
  /** An attempt failed since the server was planned: searches no longer wait for its retries. */
  failedBefore?: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** What the indexer needs from the gateway. */
export interface IndexHost {
  entries(): ServerEntry[];
  entry(name: string): ServerEntry | undefined;
  /** True when the description cache holds cards listed from this entry's current launch spec. */
  cacheCurrent(entry: ServerEntry): boolean;
  /** Starts the server if needed, lists it into the catalog and cache, and stops it again unless used. */
  indexServer(name: string, timeoutMs: number): Promise<void>;
  log: Logger;
}

export interface IndexerSettings {
  /** Servers indexed at once; 0 turns indexing at start-up off. */
  concurrency: number;
  /** Per server: start + listing. */
  timeoutMs: number;
}

/**
 * Indexes configured servers in the background so they are searchable before anything starts them:
 * every server whose cards are not in the description cache (or were listed from another launch spec)
 * is started, listed and stopped, a few at a time. Searches wait on `settle` for what is still queued
 * or indexing. Failures are kept with their error and retried with capped exponential backoff.
 */
export class CatalogIndexer {
  private readonly status = new Map<string, IndexStatus>();
  private readonly queue: string[] = [];
  private active = 0;
  private started = false;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly backoff: BackoffPolicy;

  constructor(
    private readonly host: IndexHost,
    readonly settings: IndexerSettings,
    backoff?: BackoffPolicy,
  ) {
    this.backoff = backoff ?? exponentialBackoff({ initialMs: 2_000, maxMs: 300_000, jitter: 0.2 });
  }

  /**
   * Decides, for the named servers (default: all), whether their cached cards are current or they
   * need indexing, and queues the latter. Idempotent: a server already queued or indexing stays so.
   */
  plan(names?: string[]): void {
    const entries = names
      ? names.map((n) => this.host.entry(n)).filter((e): e is ServerEntry => Boolean(e))
      : this.host.entries();
    if (names) for (const n of names) if (!this.host.entry(n)) this.forget(n);
    for (const entry of entries) {
      const st = this.status.get(entry.name);
      if (st && (st.state === "queued" || st.state === "indexing")) continue;
      if (st?.timer) clearTimeout(st.timer);
      const attempts = st?.attempts ?? 0;
      if (this.host.cacheCurrent(entry)) {
        this.status.set(entry.name, { state: "cached", attempts });
      } else if (entry.missing.length) {
        this.status.set(entry.name, {
          state: "skipped",
          attempts,
          reason: `needs ${entry.missing.join(", ")}`,
        });
      } else if (this.settings.concurrency <= 0) {
        this.status.set(entry.name, {
          state: "skipped",
          attempts,
          reason: "indexing at start-up is off (lifecycle.index_concurrency: 0)",
        });
      } else {
        this.status.set(entry.name, { state: "queued", attempts });
        this.queue.push(entry.name);
      }
    }
    this.changed();
    this.pump();
  }

  /** Lets queued work run (called once the first client has finished its handshake). Idempotent. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.pump();
  }

  /** The server was listed outside the indexer (describe, invoke, an autoStart connect): it is indexed. */
  markIndexed(name: string): void {
    const st = this.status.get(name);
    if (st?.state === "indexing") return;
    if (st?.timer) clearTimeout(st.timer);
    const at = this.queue.indexOf(name);
    if (at >= 0) this.queue.splice(at, 1);
    this.status.set(name, { state: "indexed", attempts: st?.attempts ?? 0, indexedAt: Date.now() });
    this.changed();
  }

  forget(name: string): void {
    const st = this.status.get(name);
    if (st?.timer) clearTimeout(st.timer);
    this.status.delete(name);
    const at = this.queue.indexOf(name);
    if (at >= 0) this.queue.splice(at, 1);
    this.changed();
  }

  get(name: string): IndexStatus | undefined {
    return this.status.get(name);
  }

  /**
   * Servers queued or being indexed (of `names`, or all). With `firstAttempt`, only those that have not
   * failed yet: a server that hangs or crashes on every start must not make every search wait.
   */
  inProgress(names?: string[], opts: { firstAttempt?: boolean } = {}): string[] {
    const out: string[] = [];
    for (const [name, st] of this.status) {
      if (names && !names.includes(name)) continue;
      if (opts.firstAttempt && st.failedBefore) continue;
      if (st.state === "queued" || st.state === "indexing") out.push(name);
    }
    return out;
  }

  /**
   * Waits until none of `names` (default: every server) is queued or indexing for the first time, at
   * most `ms`, or until `signal` aborts. Starts the indexer if nothing has yet (a client may search before its handshake
   * notification is processed). Returns the servers still in progress; `onChange` hears each step.
   */
  async settle(
    ms: number,
    opts: { names?: string[]; signal?: AbortSignal; onChange?: (remaining: string[]) => void } = {},
  ): Promise<string[]> {
    this.start();
    const deadline = Date.now() + ms;
    const pending = () => this.inProgress(opts.names, { firstAttempt: true });
    for (;;) {
      const left = pending();
      const wait = deadline - Date.now();
      if (!left.length || wait <= 0 || opts.signal?.aborted || this.closed) return left;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          opts.signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        this.waiters.add(done);
        opts.signal?.addEventListener("abort", done, { once: true });
      });
      const now = pending();
      if (now.length !== left.length) opts.onChange?.(now);
    }
  }

  close(): void {
    this.closed = true;
    for (const st of this.status.values()) if (st.timer) clearTimeout(st.timer);
    this.queue.length = 0;
    this.changed();
  }

  private pump(): void {
    if (!this.started || this.closed) return;
    while (this.active < this.settings.concurrency && this.queue.length) {
      const name = this.queue.shift()!;
      void this.run(name);
    }
  }

  private async run(name: string): Promise<void> {
    const st = this.status.get(name);
    if (st?.state !== "queued") return;
    st.state = "indexing";
    st.attempts++;
    this.active++;
    try {
      await this.host.indexServer(name, this.settings.timeoutMs);
      if (this.status.get(name) === st) {
        st.state = "indexed";
        st.error = undefined;
        st.retryAt = undefined;
        st.indexedAt = Date.now();
      }
    } catch (err) {
      if (this.status.get(name) === st && !this.closed) this.failed(name, st, errorMessage(err));
    } finally {
      this.active--;
      this.changed();
      this.pump();
    }
  }

  private failed(name: string, st: IndexStatus, error: string): void {
    st.state = "failed";
    st.error = error;
    st.failedBefore = true;
    const entry = this.host.entry(name);
    this.host.log.warn("indexing a downstream server failed", { server: name, attempt: st.attempts, error });
    // An autoStart server is retried by its own supervisor; its next listing marks it indexed.
    if (!entry || entry.eager) return;
    const delay = this.backoff(st.attempts);
    st.retryAt = Date.now() + delay;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (this.closed || this.status.get(name) !== st || st.state !== "failed") return;
      st.state = "queued";
      st.retryAt = undefined;
      this.queue.push(name);
      this.changed();
      this.pump();
    }, delay);
    st.timer.unref?.();
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }
}
