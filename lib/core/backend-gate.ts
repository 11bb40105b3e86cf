import { errorMessage } from "./errors.ts";
import type { Logger } from "./log.ts";

/** A failed check: a one-line, secret-free message saying what failed, and the error behind it if any. */
export interface CheckFailure {
  ok: false;
  message: string;
  error?: Error;
}

/** What one backend check found. */
export type CheckOutcome = { ok: true; summary: string } | CheckFailure;

export interface BackendGateOptions {
  /** One attempt at the backend's start-up checks. Backend problems resolve `{ok: false}`. */
  check: (signal: AbortSignal) => Promise<CheckOutcome>;
  /** Waits between background retries after a failure; the last one repeats. */
  retryMs: readonly number[];
  log: Logger;
  /** The error a tool call or resource read gets while the backend is not usable. */
  toError: (failure: CheckFailure) => Error;
}

/**
 * Keeps a connector's backend checks (reachability, token, version) off the MCP handshake: the server
 * answers `initialize` at once while the check runs behind it. Until a check succeeds, every call that
 * needs the backend waits for the check in flight (or starts a fresh one) and, if it fails, gets the
 * check's message; in the background the check is retried with backoff, and a success clears the state.
 * Each distinct failure is logged once as a warning.
 */
export class BackendGate {
  private state: "idle" | "ok" | "failed" = "idle";
  private inflight: Promise<CheckOutcome> | undefined;
  private lastFailure: string | undefined;
  private retries = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private readonly opts: BackendGateOptions) {}

  /** Starts the first check without waiting for it. */
  start(): void {
    void this.run();
  }

  /** True once a check has succeeded and no later one failed. */
  get usable(): boolean {
    return this.state === "ok";
  }

  /** The message of the last failed check while the backend is unusable. */
  get failure(): string | undefined {
    return this.state === "failed" ? this.lastFailure : undefined;
  }

  /** Resolves when the backend passed its checks; throws the check's message while it does not. */
  async ready(): Promise<void> {
    if (this.state === "ok") return;
    const outcome = await this.run();
    if (!outcome.ok) throw this.opts.toError(outcome);
  }

  /** Stops retrying and abandons a check in flight. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
  }

  private run(): Promise<CheckOutcome> {
    if (this.inflight) return this.inflight;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const attempt = this.opts
      .check(this.abort.signal)
      .catch((err: unknown): CheckOutcome => ({ ok: false, message: errorMessage(err) }))
      .then((outcome) => {
        this.inflight = undefined;
        if (!this.closed) this.settle(outcome);
        return outcome;
      });
    this.inflight = attempt;
    return attempt;
  }

  private settle(outcome: CheckOutcome): void {
    const { log, retryMs } = this.opts;
    if (outcome.ok) {
      log.info(this.state === "failed" ? `backend available again: ${outcome.summary}` : outcome.summary);
      this.state = "ok";
      this.lastFailure = undefined;
      this.retries = 0;
      return;
    }
    if (outcome.message !== this.lastFailure) log.warn(outcome.message);
    this.state = "failed";
    this.lastFailure = outcome.message;
    const wait = retryMs[Math.min(this.retries, retryMs.length - 1)] ?? 30_000;
    this.retries++;
    this.timer = setTimeout(() => void this.run(), wait);
    this.timer.unref?.();
  }
}
