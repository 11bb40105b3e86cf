import type { CallToolResult } from "@modelcontextprotocol/server";
import { redactor } from "../../core/redact.ts";
import { resultValue } from "./result-value.ts";
import type {
  CallableTool,
  CallOutcome,
  ExecutionLimits,
  ServerState,
  ToolSource,
  TraceEntry,
} from "./types.ts";

const ARGS_IN_TRACE = 200;

/** A counting semaphore: at most `max` holders at once, the rest wait in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

class CallTimeout extends Error {}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Carries the tool calls of one run to the downstream servers: the call budget, the concurrency cap, the
 * per-call timeout and the result-size cap, each failing with its own message; records the trace.
 */
export class CallDispatcher {
  readonly trace: TraceEntry[] = [];
  private counted = 0;
  private readonly gate: Semaphore;

  constructor(
    private readonly tools: ReadonlyMap<string, CallableTool>,
    private readonly source: ToolSource,
    private readonly limits: ExecutionLimits,
    private readonly runSignal: AbortSignal,
    /** Told what the run is doing (a downstream's progress, a call finished), for progress to the client. */
    private readonly onActivity?: (message: string) => void,
  ) {
    this.gate = new Semaphore(limits.maxConcurrentCalls);
  }

  get callCount(): number {
    return this.trace.length;
  }

  async call(name: string, args: Record<string, unknown>): Promise<CallOutcome> {
    const started = performance.now();
    const argsText = safeStringify(args).slice(0, ARGS_IN_TRACE);
    const outcome = await this.dispatch(name, args);
    const entry: TraceEntry = {
      tool: name,
      args: argsText,
      ok: outcome.ok,
      ms: Math.round(performance.now() - started),
    };
    if (!outcome.ok) entry.error = outcome.error;
    this.trace.push(entry);
    this.onActivity?.(
      `${this.trace.length} tool call(s) done; last: ${name} (${outcome.ok ? "ok" : "failed"})`,
    );
    return outcome;
  }

  private async dispatch(name: string, args: Record<string, unknown>): Promise<CallOutcome> {
    const tool = this.tools.get(name) ?? [...this.tools.values()].find((t) => t.exactName === name);
    if (!tool) return { ok: false, code: "unknown_tool", error: `unknown tool '${name}'` };
    if (this.counted >= this.limits.maxToolCalls) {
      return {
        ok: false,
        code: "budget",
        error: `tool-call budget exhausted (max_tool_calls=${this.limits.maxToolCalls})`,
      };
    }
    this.counted++;
    const down = this.serverDown(tool.server);
    if (down) {
      return {
        ok: false,
        code: "unavailable",
        error: `'${tool.name}' unavailable: server '${tool.server}' is not connected (${down.error ?? "connecting"})`,
      };
    }

    const release = await this.gate.acquire();
    const timeoutMs = this.limits.toolCallTimeoutSeconds * 1000;
    const abort = new AbortController();
    const onRunAbort = () => abort.abort(this.runSignal.reason);
    this.runSignal.addEventListener("abort", onRunAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (this.runSignal.aborted) return { ok: false, code: "cancelled", error: "the program ended" };
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort(new CallTimeout());
          reject(new CallTimeout());
        }, timeoutMs);
      });
      const result = (await Promise.race([
        this.source.call(tool.server, tool.tool, args, {
          signal: abort.signal,
          timeoutMs,
          ...(this.onActivity
            ? {
                onProgress: (p) =>
                  this.onActivity?.(
                    `${tool.name}: ${p.message ?? `${p.progress}${p.total !== undefined ? `/${p.total}` : ""}`}`,
                  ),
              }
            : {}),
        }),
        timedOut,
      ])) as CallToolResult;
      // Secrets a downstream echoes (its env tokens, well-known token shapes) never enter the program.
      return this.interpret(tool, redactor.redactValue(result));
    } catch (err) {
      if (err instanceof CallTimeout) {
        return {
          ok: false,
          code: "timeout",
          error: `'${tool.name}' timed out after ${this.limits.toolCallTimeoutSeconds}s (execution.tool_call_timeout_seconds)`,
        };
      }
      return {
        ok: false,
        code: "transport",
        error: redactor.redact(`'${tool.name}' failed: ${errorText(err)}`),
      };
    } finally {
      clearTimeout(timer);
      this.runSignal.removeEventListener("abort", onRunAbort);
      release();
    }
  }

  private interpret(tool: CallableTool, result: CallToolResult): CallOutcome {
    const size = Buffer.byteLength(safeStringify(result), "utf8");
    if (size > this.limits.maxToolResultBytes) {
      return {
        ok: false,
        code: "too_large",
        error: `'${tool.name}' result is ${size} bytes, over the ${this.limits.maxToolResultBytes}-byte limit; request less data (narrower dates, a limit, or a filter)`,
      };
    }
    const parsed = resultValue(result, tool.outputSchema);
    if (parsed.isError) {
      return { ok: false, code: "tool_error", error: `'${tool.name}' returned an error: ${parsed.message}` };
    }
    return { ok: true, value: parsed.value };
  }

  private serverDown(server: string): ServerState | undefined {
    const state = this.source.servers().find((s) => s.name === server);
    return state && !state.connected ? state : undefined;
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return String(value);
  }
}
