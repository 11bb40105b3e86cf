// Process helpers for the client matrix: run a program to its end with a deadline, start an mcpkit
// network server, and find processes a run left behind (by a marker variable in their environment).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");

/** How mcpkit is started: MCPKIT_CMD (e.g. "dist/mcpkit" or "bun main.ts"), else the Node bundle. */
export function mcpkitCommand(): string[] {
  const custom = process.env.MCPKIT_CMD?.trim();
  if (custom) return custom.split(/\s+/);
  return [process.env.MCPKIT_NODE ?? "node", resolve(ROOT, "dist/mcpkit.mjs")];
}

export interface Ran {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs a program to its end (killed with its process group after `timeoutMs`). */
export function run(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<Ran> {
  const started = performance.now();
  const child = spawn(command, args, {
    env: opts.env ?? (process.env as Record<string, string>),
    cwd: opts.cwd ?? ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.on("error", () => {});
  if (opts.input !== undefined) child.stdin.end(opts.input);
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, opts.timeoutMs ?? 60_000);
  return new Promise((res) => {
    child.once("error", (err) => {
      clearTimeout(timer);
      res({ code: null, signal: null, stdout, stderr: `${stderr}${err.message}`, ms: 0, timedOut });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started), timedOut });
    });
  });
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

export interface NetServer {
  url: string;
  origin: string;
  stderr: () => string;
  stop(): Promise<number | string | null>;
}

/** Starts `mcpkit <server> --transport http|sse --port 0` and waits for the URL it announces. */
export async function startNetServer(
  server: string,
  transport: "http" | "sse",
  env: Record<string, string>,
  cwd: string,
  extra: string[] = [],
): Promise<NetServer> {
  const [command, ...args] = mcpkitCommand();
  const child = spawn(command!, [...args, server, "--transport", transport, "--port", "0", ...extra], {
    env,
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  const exited = new Promise<number | string | null>((r) => child.once("exit", (c, s) => r(c ?? s)));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no URL announced within 30 s: ${err}`)), 30_000);
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    void exited.then((code) => rej(new Error(`mcpkit exited (${code}) before listening: ${err}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Pids of live processes whose environment holds `MCPKIT_CLIENTS_MARK=<mark>`; undefined without /proc. */
export function markedProcesses(mark: string): number[] | undefined {
  if (!existsSync("/proc/self/environ")) return undefined;
  const needle = `MCPKIT_CLIENTS_MARK=${mark}\0`;
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, "latin1");
      if (`${env}\0`.includes(needle)) {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        // Zombies are gone as far as the user is concerned; they only wait for their parent.
        if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z")
          found.push(Number(name));
      }
    } catch {}
  }
  return found;
}

/** Waits until no marked process is left (or `ms` pass) and returns what is left. */
export async function leftovers(mark: string, ms = 5000): Promise<number[] | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const left = markedProcesses(mark);
    if (!left?.length || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills marked processes a run left behind, so the next run starts clean. */
export function reap(mark: string): void {
  for (const pid of markedProcesses(mark) ?? []) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
}
