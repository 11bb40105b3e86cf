import { type ChildProcess, spawn } from "node:child_process";
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/server";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/server";

export interface ChildStdioOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Receives the child's stderr instead of letting it reach ours. */
  onStderr?: (chunk: Uint8Array) => void;
  /** How long to wait for a graceful exit after stdin closes, and again after SIGTERM. */
  graceMs?: number;
}

/**
 * Stdio client transport that starts the server in its own process group (POSIX), so `close()` and a
 * crashed leader take the whole tree down — launchers like `npx` or `uvx` leave grandchildren otherwise.
 * The SDK's StdioClientTransport shares our process group, which makes group signals impossible.
 */
export class ChildStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child?: ChildProcess;
  private readonly buffer = new ReadBuffer();
  private closed = false;
  private exited?: Promise<void>;

  constructor(private readonly opts: ChildStdioOptions) {}

  /** "exited with code 1" / "killed by SIGKILL" once the leader is gone. */
  exitDescription?: string;

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /**
   * The child's stderr goes to `onStderr`, not to a stream. The property exists because the SDK tells a
   * stdio transport by its `pid` and `stderr`: its `auto` probe then treats a silent or exiting server as
   * a 2025-era one (as it must on stdio) instead of failing the connect.
   */
  get stderr(): null {
    return null;
  }

  start(): Promise<void> {
    if (this.child) throw new Error("ChildStdioTransport already started");
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.command, this.opts.args, {
        env: this.opts.env,
        cwd: this.opts.cwd,
        stdio: ["pipe", "pipe", "pipe"],
        detached: process.platform !== "win32",
        windowsHide: true,
        shell: false,
      });
      this.child = child;
      this.exited = new Promise((r) => child.once("exit", () => r()));
      child.once("error", (err) => {
        reject(err);
        this.onerror?.(err);
      });
      child.once("spawn", () => resolve());
      // A dead leader means a dead server: clear out anything it left in its group.
      child.once("exit", (code, signal) => {
        this.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
        this.signalGroup("SIGTERM");
      });
      child.once("close", () => this.finish());
      child.stdin?.on("error", (err) => this.onerror?.(err));
      child.stdout?.on("error", (err) => this.onerror?.(err));
      child.stdout?.on("data", (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (err) {
            // One bad line (a stray console.log) is reported, not fatal.
            this.onerror?.(err as Error);
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => this.opts.onStderr?.(chunk));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.closed || stdin.destroyed) return reject(new Error("Not connected"));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", () => resolve());
    });
  }

  /** Closes stdin, then escalates to SIGTERM and SIGKILL of the whole group if the server lingers. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closed) return;
    this.closed = true;
    const grace = this.opts.graceMs ?? 2000;
    const exited = this.exited!;
    const waitExit = (ms: number) =>
      Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.stdin?.end();
      } catch {}
      if (!(await waitExit(grace))) {
        this.signalGroup("SIGTERM");
        if (!(await waitExit(grace))) this.signalGroup("SIGKILL");
      }
    }
    this.signalGroup("SIGKILL");
    this.finish();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      if (process.platform === "win32") this.child?.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone. Runtimes without group signals: fall back to the leader.
      try {
        if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
      } catch {}
    }
  }

  private finishedOnce = false;
  private finish(): void {
    if (this.finishedOnce) return;
    this.finishedOnce = true;
    this.closed = true;
    this.buffer.clear();
    this.onclose?.();
  }
}
