import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineOutcome, SandboxMode } from "../types.ts";
import { PYTHON_RUNNER_SOURCE } from "./python-runner-source.ts";
import type { ScriptHost, ScriptRunOptions } from "./quickjs-runner.ts";
import { timeoutText } from "./quickjs-runner.ts";

/** Largest protocol message the parent accepts from the child. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const STDERR_TAIL_BYTES = 16 * 1024;

interface Interpreter {
  path?: string;
  error?: string;
}

/** Finds the real interpreter behind `python3` (a pyenv shim needs an environment the child won't have). */
function resolveInterpreter(command: string): Interpreter {
  const r = spawnSync(command, ["-I", "-S", "-c", "import sys; print(sys.executable)"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (r.error || r.status !== 0 || !r.stdout.trim()) {
    return {
      error: `PythonUnavailable: '${command}' could not be run (${r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`}); install Python 3.11+ or set execution.python in config.yaml`,
    };
  }
  return { path: r.stdout.trim() };
}

function findBwrap(): string | undefined {
  const r = spawnSync("bwrap", ["--version"], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 ? "bwrap" : undefined;
}

/** bwrap around the interpreter: read-only root, private /tmp and home, no network, no other processes. */
function bwrapArgs(scratch: string): string[] {
  return [
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    "--tmpfs",
    "/home",
    "--tmpfs",
    "/root",
    "--bind",
    scratch,
    scratch,
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--chdir",
    scratch,
    "--",
  ];
}

/**
 * Python programs in a fresh `python -I -S -B` child per run: empty environment, a scratch directory as cwd
 * and HOME, rlimits, and a SIGKILL of the whole process group at the deadline. Inside bwrap when it exists
 * (or when `sandbox: bwrap|seatbelt` demands it); without it this is local trust, not a sandbox.
 */
export class PythonEngine {
  private interpreter?: Interpreter;
  private bwrap?: string | null;

  constructor(
    private readonly command: string,
    private readonly sandbox: SandboxMode,
  ) {}

  private wrapper(): { prefix: string[]; error?: string } {
    if (this.sandbox === "none") return { prefix: [] };
    if (this.bwrap === undefined) this.bwrap = process.platform === "linux" ? (findBwrap() ?? null) : null;
    if (this.bwrap) return { prefix: [this.bwrap] };
    if (this.sandbox === "auto") return { prefix: [] };
    return {
      prefix: [],
      error: `SandboxError: execution.sandbox is '${this.sandbox}' but no OS sandbox is available here (bwrap on Linux); install bubblewrap, or set execution.sandbox: none to run Python without one`,
    };
  }

  async run(opts: ScriptRunOptions, host: ScriptHost): Promise<EngineOutcome> {
    const failed = (error: string, errorKind: EngineOutcome["errorKind"]): EngineOutcome => ({
      ok: false,
      output: "",
      outputTruncated: false,
      hasResult: false,
      error,
      errorKind,
    });
    this.interpreter ??= resolveInterpreter(this.command);
    if (!this.interpreter.path) return failed(this.interpreter.error!, "unavailable");
    const wrap = this.wrapper();
    if (wrap.error) return failed(wrap.error, "unavailable");

    const scratch = mkdtempSync(join(tmpdir(), "ptc-run-"));
    const argv = [...wrap.prefix, ...(wrap.prefix.length ? bwrapArgs(scratch) : [])];
    const pyArgs = ["-I", "-S", "-B", "-c", PYTHON_RUNNER_SOURCE];
    const [cmd, ...args] = argv.length
      ? [...argv, this.interpreter.path, ...pyArgs]
      : [this.interpreter.path, ...pyArgs];
    const child = spawn(cmd!, args, {
      cwd: scratch,
      env: { HOME: scratch, TMPDIR: scratch, PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    try {
      return await this.drive(child, opts, host);
    } finally {
      killGroup(child);
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  private drive(child: ChildProcess, opts: ScriptRunOptions, host: ScriptHost): Promise<EngineOutcome> {
    return new Promise<EngineOutcome>((resolve) => {
      let finished = false;
      let stderr = "";
      let buffered = "";
      const finish = (o: EngineOutcome) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        killGroup(child);
        resolve(o);
      };
      const stopped = (error: string, errorKind: EngineOutcome["errorKind"]) =>
        finish({ ok: false, output: "", outputTruncated: false, hasResult: false, error, errorKind });
      const timer = setTimeout(
        () => stopped(timeoutText(opts.timeoutSeconds), "timeout"),
        opts.timeoutSeconds * 1000,
      );
      const onAbort = () => stopped("CancelledError: the request was cancelled", "cancelled");
      opts.signal?.addEventListener("abort", onAbort, { once: true });

      const send = (msg: unknown) => {
        if (!finished && child.stdin?.writable) child.stdin.write(`${JSON.stringify(msg)}\n`);
      };
      child.stdin?.on("error", () => {});
      child.on("error", (err) =>
        stopped(`ExecutionError: could not start Python (${err.message})`, "engine"),
      );
      child.stderr?.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString("utf8")).slice(-STDERR_TAIL_BYTES);
      });
      child.on("exit", (code, signal) => {
        if (finished) return;
        const status = signal ? `(child killed by ${signal})` : `(child exit status ${code})`;
        const reason =
          signal === "SIGXCPU" || signal === "SIGKILL"
            ? "the interpreter was killed (a resource limit?)"
            : "the interpreter exited before the program finished";
        stopped(`ExecutionError: ${reason}\n${status}${stderr.trim() ? `\n${stderr.trim()}` : ""}`, "engine");
      });
      const onMessage = (msg: Record<string, unknown>) => {
        if (msg.type === "done") {
          finish({
            ok: Boolean(msg.ok),
            output: String(msg.output ?? ""),
            outputTruncated: Boolean(msg.truncated),
            hasResult: Boolean(msg.has_result),
            ...(msg.has_result ? { result: msg.result } : {}),
            ...(msg.ok
              ? {}
              : {
                  error: String(msg.error ?? "Error"),
                  errorKind: (msg.error_kind as EngineOutcome["errorKind"]) ?? "runtime",
                }),
          });
          return;
        }
        const id = msg.id;
        if (msg.type === "call") {
          const args = msg.args && typeof msg.args === "object" ? (msg.args as Record<string, unknown>) : {};
          host.call(String(msg.tool), args).then((o) => send({ type: "result", id, ...o }));
          return;
        }
        if (msg.type === "helper") {
          const a = (msg.args ?? {}) as Record<string, unknown>;
          if (msg.name === "list_callable_tools")
            send({ type: "result", id, ok: true, value: host.listTools(String(a.query ?? "")) });
          else if (msg.name === "server_status") send({ type: "result", id, ok: true, value: host.status() });
          else if (msg.name === "inspect_tool") {
            const info = host.inspect(String(a.tool_name));
            send(
              info
                ? { type: "result", id, ok: true, value: info }
                : {
                    type: "result",
                    id,
                    ok: false,
                    code: "unknown_tool",
                    error: `[Tool not found] '${a.tool_name}' is not available in execute_program`,
                  },
            );
          }
        }
      };
      child.stdout?.on("data", (d: Buffer) => {
        buffered += d.toString("utf8");
        if (buffered.length > MAX_MESSAGE_BYTES && !buffered.includes("\n")) {
          return stopped(
            `ExecutionError: the program sent a message over ${MAX_MESSAGE_BYTES} bytes`,
            "engine",
          );
        }
        let nl = buffered.indexOf("\n");
        while (nl !== -1 && !finished) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          try {
            onMessage(JSON.parse(line) as Record<string, unknown>);
          } catch {
            return stopped("ExecutionError: the interpreter sent a malformed protocol message", "engine");
          }
          nl = buffered.indexOf("\n");
        }
      });
      send({
        type: "start",
        code: opts.code,
        tools: host.toolNames,
        limits: {
          max_output_bytes: opts.maxOutputBytes,
          cpu_seconds: Math.ceil(opts.timeoutSeconds) + 2,
          file_size_bytes: 64 * 1024 * 1024,
          open_files: 256,
          memory_bytes: opts.memoryLimitBytes,
        },
      });
    });
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {}
  }
}
