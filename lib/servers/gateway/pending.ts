/** One invoke in flight, as list_pending shows it. */
export interface PendingCall {
  request_id: string;
  server: string;
  tool_id: string;
  started: number;
  timeout_ms: number;
  lastActivity: number;
  controller: AbortController;
}

/** Calls that still hold a cancel handle; ids are `server::N` like PMCP's. */
export class PendingCalls {
  private next = 1;
  private readonly calls = new Map<string, PendingCall>();
  /** When the last call on each server finished (idle time is measured from there). */
  private readonly ended = new Map<string, number>();

  begin(server: string, toolId: string, timeoutMs: number): PendingCall {
    const now = Date.now();
    const call: PendingCall = {
      request_id: `${server}::${this.next++}`,
      server,
      tool_id: toolId,
      started: now,
      timeout_ms: timeoutMs,
      lastActivity: now,
      controller: new AbortController(),
    };
    this.calls.set(call.request_id, call);
    return call;
  }

  end(call: PendingCall): void {
    this.calls.delete(call.request_id);
    this.ended.set(call.server, Date.now());
  }

  /** When the last call on `server` finished; 0 when none has. */
  lastEnded(server: string): number {
    return this.ended.get(server) ?? 0;
  }

  get(id: string): PendingCall | undefined {
    return this.calls.get(id);
  }

  list(server?: string): PendingCall[] {
    return [...this.calls.values()].filter((c) => !server || c.server === server);
  }

  get size(): number {
    return this.calls.size;
  }

  /** pending (< 60 s since activity), active (60-120 s), stalled (> 120 s), timeout (past its deadline). */
  static state(call: PendingCall, now = Date.now()): "pending" | "active" | "stalled" | "timeout" {
    if (now - call.started > call.timeout_ms) return "timeout";
    const quiet = now - call.lastActivity;
    return quiet < 60_000 ? "pending" : quiet < 120_000 ? "active" : "stalled";
  }
}
