import type { CallToolResult, Client, Implementation, Progress, Tool } from "@modelcontextprotocol/client";
import { SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { errorMessage } from "../core/errors.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { redactor } from "../core/redact.ts";
import { type BackoffPolicy, exponentialBackoff } from "./backoff.ts";
import { describeSchemaIssues, UpstreamError } from "./errors.ts";
import { listAllTools } from "./list-all-tools.ts";
import { closeLink, type Link, openLink, protocolOf } from "./open-link.ts";
import { type EraVerdicts, MODERN_REVISION, verdictKey } from "./protocol.ts";
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, type UpstreamSpec } from "./specs.ts";
import { StderrTail } from "./stderr-tail.ts";
import { isTransportFailure } from "./transport-failure.ts";

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "failed" | "closed";

export interface UpstreamHealth {
  name: string;
  transport: UpstreamSpec["transport"];
  state: ConnectionState;
  lastError?: string;
  toolCount: number;
  /** The protocol version agreed (`initialize`, or `server/discover` for 2026-07-28). */
  protocolVersion?: string;
  /** The era setting of the spec (`protocol`: 2025 unless configured). */
  protocol: "auto" | "2025" | "2026";
  serverInfo?: Implementation;
  /** ISO time of the current connection. */
  connectedAt?: string;
  /** How many times the connection was re-established after it was lost. */
  restarts: number;
  pid?: number;
}

export interface ConnectionOptions {
  /** Delay before reconnect attempt n; capped exponential with jitter by default. */
  backoff?: BackoffPolicy;
  clientInfo?: Implementation;
  /** Source of the safe base environment for stdio children (process.env by default). */
  parentEnv?: Record<string, string | undefined>;
  log?: Logger;
  /** Cached era verdicts of `protocol: auto|2026` servers, so a probe is paid once per launch spec. */
  verdicts?: EraVerdicts;
}

export interface CallToolOptions {
  /** Per-call timeout; reset whenever the server reports progress. */
  timeoutMs?: number;
  /** Upper bound even while progress keeps arriving. */
  maxTotalTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The signal belongs to this call alone (dropped when it returns), so the SDK may keep its listener on
   * it: no per-call relay controller is made (the gateway's invoke hot path).
   */
  signalIsPerCall?: boolean;
  onProgress?: (progress: Progress) => void;
}

interface ToolsRefresh {
  live: Link;
  again: boolean;
  promise: Promise<Tool[]>;
}

/**
 * A supervised client connection to one upstream MCP server: connects with a timeout, keeps the tool list
 * (following pagination, refreshed on list_changed), applies per-call timeouts and cancellation, and
 * reconnects with backoff when the server goes away.
 */
export class UpstreamConnection {
  readonly name: string;
  private _state: ConnectionState = "idle";
  private live?: Link;
  private pending?: Promise<void>;
  private pendingAbort?: AbortController;
  private closing?: Promise<void>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private retryAttempt = 0;
  /** After the first success (or `start()`), drops and failures are retried in the background. */
  private supervised = false;
  private everConnected = false;
  private restarts = 0;
  private lastError?: string;
  private connectedAt?: Date;
  private serverInfo?: Implementation;
  private tools?: Tool[];
  private toolsRefresh?: ToolsRefresh;
  private readonly stderr = new StderrTail();
  private readonly toolListeners = new Set<(tools: Tool[]) => void>();
  private readonly stateListeners = new Set<(health: UpstreamHealth) => void>();
  private readonly backoff: BackoffPolicy;
  private readonly log: Logger;

  constructor(
    readonly spec: UpstreamSpec,
    private readonly opts: ConnectionOptions = {},
  ) {
    this.name = spec.name;
    this.backoff = opts.backoff ?? exponentialBackoff();
    this.log = (opts.log ?? createLogger({ level: "silent" })).child(spec.name);
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** The SDK client of the current connection, for requests this class does not wrap (resources, prompts). */
  get client(): Client | undefined {
    return this.live?.client;
  }

  get pid(): number | null {
    return this.live?.handle.pid() ?? null;
  }

  /** The last ~8 KB the stdio child wrote to stderr. */
  stderrText(): string {
    return this.stderr.text();
  }

  onToolsChanged(listener: (tools: Tool[]) => void): () => void {
    this.toolListeners.add(listener);
    return () => this.toolListeners.delete(listener);
  }

  onStateChange(listener: (health: UpstreamHealth) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  health(): UpstreamHealth {
    const pid = this.pid;
    return {
      name: this.name,
      transport: this.spec.transport,
      state: this._state,
      protocol: protocolOf(this.spec),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      toolCount: this.tools?.length ?? 0,
      ...(this.live?.protocolVersion ? { protocolVersion: this.live.protocolVersion } : {}),
      ...(this.serverInfo ? { serverInfo: this.serverInfo } : {}),
      ...(this.connectedAt && this.live ? { connectedAt: this.connectedAt.toISOString() } : {}),
      restarts: this.restarts,
      ...(pid !== null ? { pid } : {}),
    };
  }

  /** Connects now (or joins the attempt under way). Throws an UpstreamError naming the server on failure. */
  connect(): Promise<void> {
    if (this._state === "closed") return Promise.reject(this.unavailable());
    if (this.live) return Promise.resolve();
    if (this.pending) return this.pending;
    this.clearRetry();
    return this.attempt();
  }

  /** Connects in the background and keeps retrying with backoff until connected or closed; never throws. */
  start(): void {
    this.supervised = true;
    if (this._state === "closed" || this.live || this.pending || this.retryTimer) return;
    this.attempt().catch(() => {});
  }

  /**
   * Resolves once connected: starts a lazy or failed server, waits for an attempt under way, and fails fast
   * while the supervisor is waiting to retry (so callers are not held for up to 30 s of backoff).
   */
  async ensureConnected(): Promise<void> {
    if (this.live) return;
    if (this.pending) return this.pending;
    if (this._state === "closed" || this.retryTimer) throw this.unavailable();
    return this.connect();
  }

  /** All tools, following `nextCursor`; cached until list_changed or a reconnect. */
  async listTools(opts: { refresh?: boolean } = {}): Promise<Tool[]> {
    if (this.tools && !opts.refresh) return this.tools;
    await this.ensureConnected();
    if (!this.live) throw this.unavailable();
    return this.refreshTools(this.live);
  }

  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    opts: CallToolOptions = {},
  ): Promise<CallToolResult> {
    if (opts.signal?.aborted) throw this.cancelled(name);
    await this.ensureConnected();
    const live = this.live;
    if (!live) throw this.unavailable();
    const timeoutMs = opts.timeoutMs ?? this.spec.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    // A per-call controller: the SDK adds an abort listener it never removes, so the caller's
    // long-lived signal is linked here and unlinked afterwards (not needed for a per-call signal).
    const controller = opts.signalIsPerCall && opts.signal ? undefined : new AbortController();
    const relay = controller && (() => controller.abort(opts.signal?.reason));
    if (relay) opts.signal?.addEventListener("abort", relay, { once: true });
    try {
      return (await live.client.callTool(
        { name, arguments: args },
        {
          signal: controller?.signal ?? opts.signal,
          timeout: timeoutMs,
          resetTimeoutOnProgress: true,
          ...(opts.maxTotalTimeoutMs !== undefined ? { maxTotalTimeout: opts.maxTotalTimeoutMs } : {}),
          ...(opts.onProgress ? { onprogress: opts.onProgress } : {}),
        },
      )) as CallToolResult;
    } catch (err) {
      if (opts.signal?.aborted) throw this.cancelled(name, err);
      if (err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout) {
        throw new UpstreamError(
          this.name,
          "timeout",
          `tool '${name}' on server '${this.name}' did not answer within ${timeoutMs} ms; the request was cancelled`,
          { cause: err },
        );
      }
      if (err instanceof SdkError && err.code === SdkErrorCode.ConnectionClosed)
        throw this.lostDuringCall(name, err);
      if (isTransportFailure(err)) {
        this.lost(live, `request failed: ${errorMessage(err)}`);
        throw this.lostDuringCall(name, err);
      }
      const invalid = describeSchemaIssues(err);
      if (invalid) {
        throw new UpstreamError(
          this.name,
          "protocol",
          `server '${this.name}' answered tools/call '${name}' with an invalid result (${invalid})`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      if (relay) opts.signal?.removeEventListener("abort", relay);
    }
  }

  /** Stops everything: retry timers, the client, the child process (and its group). Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this._state = "closed";
    this.clearRetry();
    this.pendingAbort?.abort();
    this.closing = (async () => {
      await this.pending?.catch(() => {});
      const live = this.live;
      this.live = undefined;
      if (live) await closeLink(live);
      this.emitState();
    })();
    return this.closing;
  }

  // ---- connecting ------------------------------------------------------------------------------------

  private attempt(): Promise<void> {
    this.setState(this.everConnected || this.retryAttempt > 0 ? "reconnecting" : "connecting");
    const p = this.open().then(
      (live) => {
        this.pending = undefined;
        this.adopt(live);
      },
      (err: unknown) => {
        this.pending = undefined;
        const error =
          err instanceof UpstreamError
            ? err
            : new UpstreamError(this.name, "connect", this.describeFailure(err));
        if (this._state === "closed") throw error;
        this.lastError = error.message;
        if (this.supervised) this.scheduleRetry();
        else this.setState("failed");
        throw error;
      },
    );
    this.pending = p;
    return p;
  }

  /** Builds transport + client and connects (initialize, or 2026-07-28), all under the connect timeout. */
  private open(): Promise<Link> {
    const timeoutMs = this.spec.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.stderr.clear();
    this.pendingAbort = new AbortController();
    const verdicts = protocolOf(this.spec) === "2025" ? undefined : this.opts.verdicts;
    const key = verdicts ? verdictKey(this.spec) : "";
    const prior = verdicts?.get(key);
    const opened = openLink(this.spec, {
      ...(prior ? { prior } : {}),
      onVerdict: (verdict, horizonMs) => {
        verdicts?.set(key, verdict, horizonMs);
        this.log.debug("protocol era found", { era: verdict.kind });
      },
      timeoutMs,
      signal: this.pendingAbort.signal,
      clientInfo: this.opts.clientInfo ?? { name: "mcpkit", version: "0" },
      parentEnv: this.opts.parentEnv,
      onStderr: (chunk) => this.stderr.push(chunk),
      onClose: (link) => this.lost(link, this.exitReason(link)),
      onError: (err) => this.log.debug("transport error", { error: errorMessage(err) }),
      onToolListChanged: (link) => {
        if (this.live === link) this.refreshTools(link).catch(() => {});
      },
      timeoutError: () =>
        new UpstreamError(
          this.name,
          "timeout",
          this.withStderr(`server '${this.name}' did not finish connecting within ${timeoutMs} ms`),
        ),
    });
    // A cached verdict the server no longer matches (it changed) is dropped on failure: the retry probes.
    if (prior) opened.catch(() => verdicts?.delete(key));
    return opened;
  }

  private adopt(live: Link): void {
    if (this._state === "closed") {
      void closeLink(live);
      throw this.unavailable();
    }
    if (this.everConnected) this.restarts++;
    this.everConnected = true;
    this.supervised = true;
    this.retryAttempt = 0;
    this.live = live;
    this.lastError = undefined;
    this.connectedAt = new Date();
    this.serverInfo = live.client.getServerVersion();
    this.setState("connected");
    this.log.info("connected", { protocolVersion: live.protocolVersion, server: this.serverInfo?.name });
    // A restarted server may offer different tools; refresh in the background.
    this.refreshTools(live).catch((err) => {
      this.log.warn("tools/list failed", { error: errorMessage(err) });
      // Opened from a cached 2026-07-28 verdict and the first request fails: the verdict is stale (the
      // server no longer speaks that era). Forget it and reconnect, probing again.
      if (live.prior === "modern" && this.opts.verdicts) {
        this.opts.verdicts.delete(verdictKey(this.spec));
        this.lost(
          live,
          `requests fail on ${MODERN_REVISION} (${errorMessage(err)}); probing the protocol again`,
        );
      }
    });
  }

  /** The link behind `live` is gone: fail over to the supervisor unless it was already replaced or we closed. */
  private lost(live: Link, reason: string): void {
    if (this.live !== live || this._state === "closed") return;
    this.live = undefined;
    this.lastError = redactor.redact(`connection lost (${reason})`);
    this.log.warn("connection lost; reconnecting", { reason: this.lastError });
    void closeLink(live);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this._state === "closed") return;
    this.clearRetry();
    this.retryAttempt++;
    const delay = this.backoff(this.retryAttempt);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.attempt().catch(() => {});
    }, delay);
    // Report every failed attempt, not just the first change of state, so watchers see the retries.
    this.setState("reconnecting", true);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  // ---- tools -----------------------------------------------------------------------------------------

  /**
   * Re-reads the tool list for `live`. A request that arrives while a read is under way (a list_changed
   * during the fetch) makes that read go round once more instead of being lost.
   */
  private refreshTools(live: Link): Promise<Tool[]> {
    const running = this.toolsRefresh;
    if (running?.live === live) {
      running.again = true;
      return running.promise;
    }
    const entry: ToolsRefresh = { live, again: false, promise: Promise.resolve([]) };
    entry.promise = (async () => {
      let tools: Tool[];
      do {
        entry.again = false;
        tools = await listAllTools(live.client, this.spec.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
      } while (entry.again && this.live === live);
      if (this.live !== live) return tools;
      const changed = JSON.stringify(tools) !== JSON.stringify(this.tools);
      this.tools = tools;
      if (changed) {
        for (const listener of this.toolListeners) listener(tools);
      }
      return tools;
    })().finally(() => {
      if (this.toolsRefresh === entry) this.toolsRefresh = undefined;
    });
    this.toolsRefresh = entry;
    return entry.promise;
  }

  // ---- messages --------------------------------------------------------------------------------------

  private setState(state: ConnectionState, always = false): void {
    if (this._state === "closed" || (this._state === state && !always)) return;
    this._state = state;
    this.emitState();
  }

  private emitState(): void {
    const health = this.health();
    for (const listener of this.stateListeners) listener(health);
  }

  private exitReason(live: Link): string {
    const exit = (live.handle.transport as { exitDescription?: string }).exitDescription;
    return this.withStderr(exit ? `server process ${exit}` : "transport closed");
  }

  private withStderr(message: string): string {
    const tail = this.stderr.lastLines();
    return redactor.redact(tail ? `${message}; stderr: ${tail}` : message);
  }

  private describeFailure(err: unknown): string {
    const code = (err as { code?: unknown }).code;
    let reason = errorMessage(err);
    if (code === "ENOENT" && this.spec.transport === "stdio") {
      reason = `command '${this.spec.command}' was not found (check PATH or the command's spelling)`;
    } else if (err instanceof SdkError && err.code === SdkErrorCode.ConnectionClosed) {
      reason = "the server closed the connection during initialize";
    } else if (err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed) {
      reason =
        protocolOf(this.spec) === "2026"
          ? `it does not speak MCP ${MODERN_REVISION} (protocol: 2026 in its config; use auto or 2025 for a 2025-era server)`
          : `protocol negotiation failed (${errorMessage(err)})`;
    }
    return this.withStderr(`could not connect to server '${this.name}': ${reason}`);
  }

  private unavailable(): UpstreamError {
    const why =
      this._state === "closed"
        ? "its connection is closed"
        : `${this._state}${this.lastError ? ` after: ${this.lastError}` : ""}`;
    return new UpstreamError(
      this.name,
      "unavailable",
      `server '${this.name}' is not connected (${why}); retry shortly`,
    );
  }

  private cancelled(tool: string, cause?: unknown): UpstreamError {
    return new UpstreamError(
      this.name,
      "cancelled",
      `call to '${tool}' on server '${this.name}' was cancelled`,
      {
        cause,
      },
    );
  }

  private lostDuringCall(tool: string, cause: unknown): UpstreamError {
    return new UpstreamError(
      this.name,
      "closed",
      `connection to server '${this.name}' was lost during '${tool}' (${this.lastError ?? "connection closed"}); ` +
        "it is reconnecting, retry shortly",
      { cause },
    );
  }
}
