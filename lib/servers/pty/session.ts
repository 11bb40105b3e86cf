import { randomBytes } from "node:crypto";
import type { Limits } from "./config.ts";
import { EchoFilter } from "./echo-filter.ts";
import type { ChildHandle, ExitInfo, StreamName } from "./process-backend.ts";
import { groupAlive } from "./process-backend.ts";
import { RateWindow } from "./rate-window.ts";
import { RingBuffer, type RingSlice } from "./ring-buffer.ts";
import type { ScreenModel } from "./screen.ts";
import type { SessionLog } from "./session-log.ts";
import type { ExitReason, LeaseAudit, SessionMeta } from "./session-types.ts";
import { safeEnd } from "./utf8.ts";

export const STREAMS: readonly StreamName[] = ["pty", "stdout", "stderr"];

export interface ExitState {
  exitCode: number | null;
  signal: string | null;
  reason: ExitReason;
  endedAt: number;
}

/** Per-session copy of the limits (set_limits rewrites them on live sessions). */
export type SessionLimits = Omit<Limits, "max_output_bytes"> & { max_output_bytes: number };

export function newSessionId(): string {
  return `${Date.now()}-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * One child process and everything we remember about it: output history per stream, per-reader
 * cursors, exit status, lease state. Waiters are woken by data and exit events (no polling).
 */
export class PtySession {
  readonly rings: Record<StreamName, RingBuffer>;
  handle: ChildHandle | null = null;
  pid = 0;
  pgid = 0;
  exit: ExitState | null = null;
  lastActive = Date.now();
  bytesRead = 0;
  bytesWritten = 0;
  rateDropped = 0;
  inputDropped = 0;
  chunkId = 0;
  attachedClientId: string | null = null;
  audit: LeaseAudit = {
    last_lease_action: null,
    last_lease_client_id: null,
    last_lease_from_client_id: null,
    last_lease_reason: null,
    last_lease_at: null,
  };
  recovered = false;
  recoveredAt: number | null = null;
  screen: ScreenModel | null = null;
  log: SessionLog | null = null;
  /** Why we are ending the child, when we are the ones ending it. */
  pendingReason: ExitReason | null = null;
  lastOutputAt = 0;
  /** When the program last produced output of its own (the echo of typed input does not count). */
  lastProgramOutputAt = 0;
  /** Which bytes of the pty history are the echo of typed input (patterns skip them). */
  echo: EchoFilter = new EchoFilter(false);
  private readonly cursors = new Map<string, Record<StreamName, number>>();
  private readonly listeners = new Set<() => void>();
  private readonly outputRate: RateWindow;
  private readonly inputRate: RateWindow;
  private lastThrottleMarker = 0;
  private timers: NodeJS.Timeout[] = [];
  private exitedPromise: Promise<void>;
  private resolveExited!: () => void;

  constructor(
    readonly meta: SessionMeta,
    readonly limits: SessionLimits,
  ) {
    this.rings = {
      pty: new RingBuffer(limits.max_output_bytes),
      stdout: new RingBuffer(limits.max_output_bytes),
      stderr: new RingBuffer(limits.max_output_bytes),
    };
    this.outputRate = new RateWindow(limits.rate_limit_bps);
    this.inputRate = new RateWindow(limits.input_rate_bps);
    this.exitedPromise = new Promise((r) => {
      this.resolveExited = r;
    });
  }

  get id(): string {
    return this.meta.id;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Resolves once the child has ended and all its output was delivered. */
  get exited(): Promise<void> {
    return this.exitedPromise;
  }

  applyLimits(limits: Partial<SessionLimits>): void {
    Object.assign(this.limits, limits);
    for (const s of STREAMS) this.rings[s].setCapacity(this.limits.max_output_bytes);
    this.outputRate.bytesPerSecond = this.limits.rate_limit_bps;
    this.inputRate.bytesPerSecond = this.limits.input_rate_bps;
  }

  /** Tells the echo of typed input apart from here on (terminals only: pipes never echo). */
  enableEchoFilter(): void {
    this.echo = new EchoFilter(true, this.rings.pty.totalOffset);
  }

  attach(handle: ChildHandle): void {
    this.handle = handle;
    this.pid = handle.pid;
    this.pgid = handle.pgid;
  }

  touch(): void {
    this.lastActive = Date.now();
  }

  addTimer(t: NodeJS.Timeout): void {
    t.unref?.();
    this.timers.push(t);
  }

  // ---- output ------------------------------------------------------------------------------------

  onChildData(chunk: Uint8Array, stream: StreamName): void {
    const allowed = this.outputRate.take(chunk.length);
    let data = chunk;
    if (allowed < chunk.length) {
      this.rateDropped += chunk.length - allowed;
      data = chunk.subarray(0, allowed);
    }
    this.bytesRead += data.length;
    if (data.length > 0) {
      this.lastOutputAt = Date.now();
      this.rings[stream].append(data);
      // Split streams also feed the combined history, so pty_read sees everything in arrival order.
      if (stream !== "pty") this.rings.pty.append(data);
      this.echo.feed(data);
      if (this.echo.sawOutput) this.lastProgramOutputAt = this.lastOutputAt;
      this.echo.prune(this.rings.pty.startOffset);
      this.log?.transcript(data);
      if (stream === "pty" || this.meta.separateStreams) this.screen?.write(data);
    }
    if (allowed < chunk.length && Date.now() - this.lastThrottleMarker >= 1000) {
      this.lastThrottleMarker = Date.now();
      const marker = Buffer.from(
        `\n[pty-mcp] output throttled (limit=${this.limits.rate_limit_bps} bytes/sec)\n`,
      );
      if (stream !== "pty") this.rings[stream].append(marker);
      this.rings.pty.append(marker);
      this.echo.skip(marker.length);
    }
    this.notify();
  }

  onChildExit(info: ExitInfo): void {
    if (this.exit) return;
    const reason: ExitReason = this.pendingReason ?? info.reason ?? "exited";
    this.exit = { exitCode: info.exitCode, signal: info.signal, reason, endedAt: Date.now() };
    this.echo.finish();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.log?.event("exit", { exit_code: info.exitCode, signal: info.signal, exit_reason: reason });
    this.handle?.dispose();
    this.resolveExited();
    this.notify();
  }

  // ---- input -------------------------------------------------------------------------------------

  /** Writes to the child, honouring the input rate limit; returns how many bytes were dropped. */
  write(data: Uint8Array): number {
    const allowed = this.inputRate.take(data.length);
    const dropped = data.length - allowed;
    if (dropped > 0) {
      this.inputDropped += dropped;
      const marker = Buffer.from(
        `\n[pty-mcp] input throttled (limit=${this.limits.input_rate_bps} bytes/sec)\n`,
      );
      this.rings.pty.append(marker);
      this.echo.skip(marker.length);
    }
    if (allowed > 0) {
      this.echo.expect(data.subarray(0, allowed));
      this.handle?.write(data.subarray(0, allowed));
      this.bytesWritten += allowed;
      this.log?.event("write", { bytes: allowed });
    }
    return dropped;
  }

  // ---- cursors and reads ---------------------------------------------------------------------------

  cursor(reader: string, stream: StreamName): number {
    return this.cursors.get(reader)?.[stream] ?? 0;
  }

  setCursor(reader: string, stream: StreamName, offset: number): void {
    let c = this.cursors.get(reader);
    if (!c) {
      c = { pty: 0, stdout: 0, stderr: 0 };
      this.cursors.set(reader, c);
    }
    c[stream] = offset;
  }

  /** Unread bytes for this reader (what a destructive read would return). */
  pending(reader: string, stream: StreamName): number {
    return Math.max(
      0,
      this.rings[stream].totalOffset - Math.max(this.cursor(reader, stream), this.rings[stream].startOffset),
    );
  }

  /** Reads from this reader's cursor; `advance` moves the cursor past what was returned. */
  readCursor(reader: string, stream: StreamName, maxBytes: number, advance: boolean): RingSlice {
    const slice = this.rings[stream].read(this.cursor(reader, stream), maxBytes, {
      allowPartialTail: !this.running,
    });
    if (advance) this.setCursor(reader, stream, slice.nextOffset);
    this.chunkId++;
    return slice;
  }

  /** Program-output bytes (echo of typed input excluded) this reader has not read, from `since` on. */
  pendingOutput(reader: string, since = 0): number {
    const from = Math.max(this.cursor(reader, "pty"), this.rings.pty.startOffset, since);
    return this.echo.outputBytesFrom(from);
  }

  /**
   * The pty history from `from` as patterns see it: the echo of typed input left out, and only what is
   * already classified. `ringOffset` maps a byte index of `text`'s UTF-8 form back to a history offset.
   */
  matchView(from: number): { text: string; ringOffset(viewByte: number): number } {
    const ring = this.rings.pty;
    const start = Math.max(from, ring.startOffset);
    const end = Math.max(start, this.echo.decided);
    const data = ring.read(start, end - start, { allowPartialTail: true }).data;
    const echo = this.echo.echoIn(start, start + data.length);
    // Segments of kept bytes: [viewStart, ringStart, length].
    const segs: number[] = [];
    const parts: Buffer[] = [];
    let cur = start;
    let viewLen = 0;
    const keep = (to: number) => {
      if (to <= cur) return;
      segs.push(viewLen, cur, to - cur);
      parts.push(data.subarray(cur - start, to - start));
      viewLen += to - cur;
    };
    for (let k = 0; k < echo.length; k += 2) {
      keep(echo[k]!);
      cur = Math.max(cur, echo[k + 1]!);
    }
    keep(start + data.length);
    const view = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    return {
      text: view.toString("utf8", 0, safeEnd(view, view.length)),
      ringOffset: (viewByte) => {
        for (let k = segs.length - 3; k >= 0; k -= 3) {
          if (viewByte > segs[k]!) return segs[k + 1]! + (viewByte - segs[k]!);
        }
        return start;
      },
    };
  }

  // ---- waiting -----------------------------------------------------------------------------------

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /**
   * Resolves after the next data or exit event, after `ms`, or when `signal` aborts, whichever is first.
   * Callers loop: check their condition, then wait for the next change.
   */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  // ---- ending ------------------------------------------------------------------------------------

  /**
   * Ends the child: SIGTERM to its process group, SIGKILL after `graceMs` if anything of the group is
   * still there. Also sweeps leftover group members after the leader is gone.
   */
  async terminate(reason: ExitReason, graceMs: number): Promise<void> {
    if (this.running && this.pendingReason === null) this.pendingReason = reason;
    const handle = this.handle;
    if (!handle) return;
    const alive = () => this.running || groupAlive(this.pgid);
    if (!alive()) return;
    handle.kill("SIGTERM");
    const deadline = Date.now() + graceMs;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (alive()) {
      handle.kill("SIGKILL");
      const hard = Date.now() + 2000;
      while (this.running && Date.now() < hard) await new Promise((r) => setTimeout(r, 20));
    }
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.handle?.dispose();
    this.screen?.dispose();
    this.screen = null;
    this.log?.close();
    this.notify();
  }
}
