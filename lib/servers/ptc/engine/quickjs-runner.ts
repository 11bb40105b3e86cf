import type {
  QuickJSContext,
  QuickJSDeferredPromise,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten";
import type { CallOutcome, EngineOutcome, FailureKind } from "../types.ts";
import { formatThrown, PROGRAM_FILE, sourceExcerpt } from "./error-text.ts";
import { OutputBuffer } from "./output-buffer.ts";
import { wrapProgram } from "./program-wrap.ts";
import { QuickJSModulePool } from "./quickjs-module.ts";
import { QUICKJS_PRELUDE } from "./quickjs-prelude.ts";

/** QuickJS's own stack for the program; larger values overflow the host's stack first on Node and Deno. */
const MAX_STACK_BYTES = 256 * 1024;

/** What a script can reach on the host: its tools and the introspection helpers, nothing else. */
export interface ScriptHost {
  /** [namespaced name, exact name] of every tool to bind as a function. */
  toolNames: Array<[string, string]>;
  call(name: string, args: Record<string, unknown>): Promise<CallOutcome>;
  listTools(query: string): string[];
  inspect(name: string): unknown;
  status(): Record<string, unknown>;
}

export interface ScriptRunOptions {
  /** JavaScript source (TypeScript already stripped). */
  code: string;
  timeoutSeconds: number;
  maxOutputBytes: number;
  memoryLimitBytes: number;
  signal?: AbortSignal;
}

export function timeoutText(seconds: number): string {
  return `TimeoutError: Execution exceeded ${seconds}s limit`;
}

/** One program in one fresh QuickJS runtime; everything it allocates is disposed when it ends. */
class QuickJSRun {
  private finished = false;
  private stop?: "timeout" | "cancelled";
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly output: OutputBuffer;
  private readonly deadline: number;
  private rt?: QuickJSRuntime;
  private ctx?: QuickJSContext;
  private runFn?: QuickJSHandle;
  private main?: QuickJSHandle;
  private returnAt?: { line: number; column: number };
  private done!: (o: EngineOutcome) => void;
  private onAbort?: () => void;
  healthy = true;

  constructor(
    private readonly mod: QuickJSWASMModule,
    private readonly opts: ScriptRunOptions,
    private readonly host: ScriptHost,
  ) {
    this.output = new OutputBuffer(opts.maxOutputBytes);
    this.deadline = Date.now() + opts.timeoutSeconds * 1000;
  }

  start(): Promise<EngineOutcome> {
    return new Promise<EngineOutcome>((resolve) => {
      this.done = resolve;
      try {
        this.begin();
      } catch (e) {
        this.fault(e);
      }
    });
  }

  private begin(): void {
    const { opts } = this;
    if (opts.signal?.aborted) {
      this.finishStopped("cancelled");
      return;
    }
    this.onAbort = () => this.finishStopped("cancelled");
    opts.signal?.addEventListener("abort", this.onAbort, { once: true });
    this.later(() => this.finishStopped("timeout"), this.deadline - Date.now());

    const rt = this.mod.newRuntime();
    this.rt = rt;
    rt.setMemoryLimit(opts.memoryLimitBytes);
    rt.setMaxStackSize(MAX_STACK_BYTES);
    rt.setInterruptHandler(() => {
      if (this.stop) return true;
      if (Date.now() >= this.deadline) this.stop = "timeout";
      return this.stop !== undefined;
    });
    const ctx = rt.newContext();
    this.ctx = ctx;
    this.runFn = this.installPrelude(ctx);

    const wrapped = wrapProgram(opts.code, (source) => {
      const r = ctx.evalCode(source, PROGRAM_FILE, { compileOnly: true });
      if (r.error) {
        r.error.dispose();
        return false;
      }
      r.value.dispose();
      return true;
    });
    this.returnAt = wrapped.returnAt;
    const compiled = ctx.evalCode(wrapped.source, PROGRAM_FILE);
    if (compiled.error) {
      this.finishThrown(compiled.error);
      return;
    }
    const called = ctx.callFunction(this.runFn, ctx.undefined, compiled.value);
    compiled.value.dispose();
    if (called.error) {
      this.finishThrown(called.error);
      return;
    }
    this.main = called.value;
    this.pump();
  }

  /** Runs the prelude with the host bridge and returns its `run` function. */
  private installPrelude(ctx: QuickJSContext): QuickJSHandle {
    const bridge = ctx.newObject();
    const define = (name: string, impl: (...args: QuickJSHandle[]) => QuickJSHandle | undefined) => {
      const fn = ctx.newFunction(name, impl);
      ctx.setProp(bridge, name, fn);
      fn.dispose();
    };
    const str = (h: QuickJSHandle | undefined) => (h ? ctx.getString(h) : "");
    define("expired", () => (this.stop !== undefined || Date.now() >= this.deadline ? ctx.true : ctx.false));
    define("toolNames", () => ctx.newString(JSON.stringify(this.host.toolNames)));
    define("print", (_stream, text) => {
      this.output.append(str(text));
      return undefined;
    });
    define("call", (nameH, argsH) => {
      const name = str(nameH);
      const args = JSON.parse(str(argsH)) as Record<string, unknown>;
      return this.deferred((settle) => {
        this.host.call(name, args).then(
          (outcome) => settle(JSON.stringify(outcome)),
          (err: unknown) => settle(JSON.stringify({ ok: false, code: "internal", error: String(err) })),
        );
      });
    });
    define("sleep", (msH) => {
      const ms = msH ? ctx.getNumber(msH) : 0;
      return this.deferred((settle) => this.later(() => settle(undefined), Math.max(0, ms)));
    });
    define("listTools", (q) => ctx.newString(JSON.stringify(this.host.listTools(str(q)))));
    define("inspect", (n) => ctx.newString(JSON.stringify(this.host.inspect(str(n)) ?? null)));
    define("status", () => ctx.newString(JSON.stringify(this.host.status())));

    const prelude = ctx.evalCode(QUICKJS_PRELUDE, "prelude.js");
    if (prelude.error) {
      const detail = JSON.stringify(ctx.dump(prelude.error));
      prelude.error.dispose();
      bridge.dispose();
      throw new Error(`prelude failed: ${detail}`);
    }
    const run = ctx.callFunction(prelude.value, ctx.undefined, bridge);
    prelude.value.dispose();
    bridge.dispose();
    if (run.error) {
      const detail = JSON.stringify(ctx.dump(run.error));
      run.error.dispose();
      throw new Error(`prelude failed: ${detail}`);
    }
    return run.value;
  }

  /** A promise inside the VM that the host settles later (with a string, or undefined). */
  private deferred(start: (settle: (value: string | undefined) => void) => void): QuickJSHandle {
    const ctx = this.ctx!;
    const d = ctx.newPromise();
    this.deferreds.add(d);
    start((value) => {
      if (this.finished || !this.deferreds.has(d)) return;
      try {
        if (value === undefined) d.resolve();
        else {
          const h = ctx.newString(value);
          d.resolve(h);
          h.dispose();
        }
        this.deferreds.delete(d);
        d.dispose();
        this.pump();
      } catch (e) {
        this.fault(e);
      }
    });
    // The caller disposes what we return; the deferred keeps its own handle until it settles.
    return d.handle.dup();
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Runs pending VM jobs, then looks at the program's promise. */
  private pump(): void {
    if (this.finished) return;
    try {
      const jobs = this.rt!.executePendingJobs(-1);
      if (jobs.error) {
        this.finishThrown(jobs.error);
        return;
      }
      const state = this.ctx!.getPromiseState(this.main!);
      if (state.type === "pending") {
        if (this.deferreds.size === 0) {
          this.finish({
            ok: false,
            errorKind: "runtime",
            error:
              "Error: the program is waiting on a promise that can never settle (nothing it awaits is pending); await your tool calls, or resolve the promise",
          });
        }
        return;
      }
      if (state.type === "rejected") {
        this.finishThrown(state.error);
        return;
      }
      const json = this.ctx!.getString(state.value);
      state.value.dispose();
      const r = JSON.parse(json) as { has: boolean; value?: unknown };
      this.finish({ ok: true, hasResult: r.has, ...(r.has ? { result: r.value } : {}) });
    } catch (e) {
      this.fault(e);
    }
  }

  /** Ends the run with an error value from the VM (disposes the handle). */
  private finishThrown(handle: QuickJSHandle): void {
    const dumped = this.ctx!.dump(handle);
    handle.dispose();
    const e = (dumped && typeof dumped === "object" ? dumped : {}) as {
      name?: string;
      message?: string;
      lineNumber?: number;
    };
    if (e.name === "InternalError" && e.message === "interrupted") {
      this.finishStopped(this.stop ?? (Date.now() >= this.deadline ? "timeout" : "cancelled"));
      return;
    }
    const thrown = formatThrown(dumped, this.returnAt ? { returnAt: this.returnAt } : {});
    let kind: FailureKind = "runtime";
    let text = thrown.text;
    if (e.name === "SyntaxError" && e.lineNumber !== undefined) {
      kind = "syntax";
      const better = this.unwrappedSyntaxError();
      const lines = this.opts.code.trimEnd().split("\n").length;
      const line = Math.min(better?.line ?? e.lineNumber, lines);
      const excerpt = sourceExcerpt(this.opts.code, line);
      text = `SyntaxError: ${better?.message ?? e.message} (line ${line})${excerpt ? `\n${excerpt}` : ""}`;
    } else if (e.name === "InternalError" && e.message === "out of memory") {
      kind = "memory";
      text = `MemoryError: the script exceeded its ${Math.round(this.opts.memoryLimitBytes / 1048576)} MiB memory limit (execution.memory_limit_mb)\n${thrown.text}`;
    } else if (e.name === "InternalError" && e.message === "stack overflow") {
      kind = "stack";
      text = `RecursionError: maximum call stack depth exceeded (stack overflow); recursion too deep\n${thrown.text}`;
    } else if (e.name === "ReferenceError" && /^'?mcp__\w+'? is not defined/.test(e.message ?? "")) {
      text +=
        "\n(that tool is not callable here: unknown, blocked by tools.allow/tools.block, or its server is down; see list_callable_tools())";
    }
    this.finish({ ok: false, errorKind: kind, error: text });
  }

  /**
   * The wrapper's closing `})` makes QuickJS blame it for an unfinished program; compiling the script alone
   * (as a module, which allows top-level await) names the real problem, unless that is only the `return`.
   */
  private unwrappedSyntaxError(): { message: string; line: number } | undefined {
    const r = this.ctx!.evalCode(this.opts.code, PROGRAM_FILE, { type: "module", compileOnly: true });
    if (!r.error) {
      r.value.dispose();
      return undefined;
    }
    const d = this.ctx!.dump(r.error) as { message?: string; lineNumber?: number };
    r.error.dispose();
    if (!d.message || d.lineNumber === undefined || /return not in a function/.test(d.message))
      return undefined;
    return { message: d.message.replace(/: ''$/, ": end of input"), line: d.lineNumber };
  }

  private finishStopped(why: "timeout" | "cancelled"): void {
    this.stop = why;
    if (why === "timeout")
      this.finish({ ok: false, errorKind: "timeout", error: timeoutText(this.opts.timeoutSeconds) });
    else
      this.finish({ ok: false, errorKind: "cancelled", error: "CancelledError: the request was cancelled" });
  }

  /** A failure of the engine itself (a WASM abort, a host stack overflow): the module is not reused. */
  private fault(err: unknown): void {
    this.healthy = false;
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const hostStack = /Maximum call stack size exceeded/.test(msg);
    this.finish({
      ok: false,
      errorKind: hostStack ? "stack" : "engine",
      error: hostStack
        ? "RecursionError: maximum call stack depth exceeded (the sandbox ran out of stack); recursion too deep"
        : `EngineError: the sandbox failed (${msg}); this run was stopped and the next one gets a fresh engine`,
    });
  }

  private finish(
    partial: Omit<EngineOutcome, "output" | "outputTruncated" | "hasResult"> & { hasResult?: boolean },
  ) {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.onAbort) this.opts.signal?.removeEventListener("abort", this.onAbort);
    try {
      // Outstanding host promises must go before the context, or QuickJS asserts on leaked objects.
      for (const d of this.deferreds) d.dispose();
      this.deferreds.clear();
      this.main?.dispose();
      this.runFn?.dispose();
      this.ctx?.dispose();
      this.rt?.dispose();
    } catch {
      this.healthy = false;
    }
    this.done({
      hasResult: false,
      ...partial,
      output: this.output.text(),
      outputTruncated: this.output.truncated,
    });
  }
}

/** Runs JavaScript programs in QuickJS: a fresh runtime per run, modules reused from a pool. */
export class QuickJSEngine {
  constructor(private readonly pool = new QuickJSModulePool()) {}

  warm(): Promise<void> {
    return this.pool.warm();
  }

  async run(opts: ScriptRunOptions, host: ScriptHost): Promise<EngineOutcome> {
    const mod = await this.pool.acquire();
    const run = new QuickJSRun(mod, opts, host);
    const outcome = await run.start();
    // A module whose heap grew to the memory limit keeps that WASM memory; let it go rather than pool it.
    this.pool.release(mod, run.healthy && outcome.errorKind !== "memory");
    return outcome;
  }
}
