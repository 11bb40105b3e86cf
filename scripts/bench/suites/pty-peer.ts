// pty's peer from issue #3, @wonderwhy-er/desktop-commander (a devDependency), started as a stdio MCP server
// from node_modules with the SDK client and measured in the same run as pty with its own process tools:
// start_process (a child process on pipes, not a PTY), read_process_output (waits for new lines, polling
// every 50 ms, up to its timeout_ms), interact_with_process and force_terminate. Telemetry and its
// feature-flag fetch are switched off (DESKTOP_COMMANDER_DISABLE_TELEMETRY, DC_FLAG_URL to a closed local
// port) and its config lives in a scratch HOME. Commands run under shell "/bin/sh" (DC runs bash as a login
// shell, `bash -l -c`; pty runs with PTY_MCP_LOGIN_SHELL=0), so neither side pays for a login profile.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { baseEnv } from "../../server-targets.ts";
import { connectStdio, rssMiB } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import { call, scratchDir } from "./util.ts";

export const DC_PKG = "node_modules/@wonderwhy-er/desktop-commander";
const MiB = 1024 * 1024;

export interface DcConn {
  label: string;
  client: Client;
  pid: number;
  close(): Promise<void>;
}

export function dcVersion(root: string): string {
  try {
    return JSON.parse(readFileSync(join(root, DC_PKG, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

export async function startDc(ctx: BenchContext): Promise<DcConn> {
  const entry = join(ctx.root, DC_PKG, "dist/index.js");
  if (!existsSync(entry)) throw new Error(`${DC_PKG} is not installed (npm ci)`);
  const s = scratchDir("dc");
  mkdirSync(join(s.dir, ".claude-server-commander"), { recursive: true });
  try {
    const { client, pid } = await connectStdio({
      command: "node",
      args: [entry],
      env: baseEnv({
        HOME: s.dir,
        SHELL: "/bin/sh",
        DESKTOP_COMMANDER_DISABLE_TELEMETRY: "1",
        DC_FLAG_URL: "http://127.0.0.1:9/flags.json",
      }),
      cwd: s.dir,
    });
    return {
      label: `desktop-commander ${dcVersion(ctx.root)} (node)`,
      client,
      pid,
      close: async () => {
        await client.close().catch(() => {});
        s.cleanup();
      },
    };
  } catch (e) {
    s.cleanup();
    throw e;
  }
}

const text = async (c: DcConn, name: string, args: Record<string, unknown>, timeout = 60_000) =>
  (await call(c.client, name, args, timeout)).text;

/** start_process returns "Process started with PID <n> …"; timeout_ms 1 makes it return at once. */
async function start(c: DcConn, command: string, timeoutMs = 1): Promise<{ pid: number; out: string }> {
  const out = await text(c, "start_process", { command, timeout_ms: timeoutMs, shell: "/bin/sh" });
  const m = /PID (-?\d+)/.exec(out);
  if (!m) throw new Error(`${c.label}: start_process said ${out.slice(0, 200)}`);
  return { pid: Number(m[1]), out };
}

/** read_process_output with a timeout until `re` is seen; returns the read text. */
async function readUntil(c: DcConn, pid: number, re: RegExp, seen = ""): Promise<string> {
  let acc = seen;
  const end = performance.now() + 15_000;
  while (!re.test(acc)) {
    if (performance.now() > end) throw new Error(`${c.label}: ${re} not seen`);
    acc += await text(c, "read_process_output", { pid, timeout_ms: 10_000 });
  }
  return acc;
}

const stop = (c: DcConn, pid: number) => text(c, "force_terminate", { pid }).catch(() => "");

/** spawn → first output: start_process (timeout_ms 1) + read_process_output until the marker. */
export async function dcSpawnCycle(
  c: DcConn,
  i: number,
): Promise<{ spawn: number; first: number; close: number }> {
  const mark = `FIRST_OUT_${i}`;
  const t0 = performance.now();
  const { pid, out } = await start(c, `printf '%s\\n' ${mark}; exec sleep 60`);
  const t1 = performance.now();
  await readUntil(c, pid, new RegExp(mark), out.replace(/^[^\n]*\n/, ""));
  const t2 = performance.now();
  await stop(c, pid);
  const t3 = performance.now();
  return { spawn: t1 - t0, first: t2 - t0, close: t3 - t2 };
}

/** A command that prints `PAT_<epoch µs>_END` after 200 ms; the read is already waiting. Returns the time
 * from the child's clock reading (bash's EPOCHREALTIME, just before the echo) to the read returning. */
export const PATTERN_CMD = `exec bash --norc --noprofile -c 'sleep 0.2; echo "PAT_\${EPOCHREALTIME/[.,]/}_END"; exec sleep 60'`;
export const PATTERN_RE = /PAT_(\d+)_END/;
export const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

export async function dcPatternCycle(c: DcConn): Promise<number> {
  const { pid, out } = await start(c, PATTERN_CMD);
  try {
    const got = await readUntil(c, pid, PATTERN_RE, out.replace(/^[^\n]*\n/, ""));
    const t = nowUs();
    return (t - Number(PATTERN_RE.exec(got)![1])) / 1000;
  } finally {
    await stop(c, pid);
  }
}

/** interactive shell (no tty: sh -i on pipes) + interact_with_process per echo; it polls every 50 ms and
 * returns once it sees a prompt after the output. */
export async function dcOpenShell(c: DcConn): Promise<number> {
  const { pid } = await start(c, "exec /bin/sh -i", 3000);
  return pid;
}

export async function dcEchoCycle(c: DcConn, pid: number, i: number): Promise<number> {
  const t0 = performance.now();
  const out = await text(c, "interact_with_process", { pid, input: `echo E_${i}''_Z`, timeout_ms: 10_000 });
  const dt = performance.now() - t0;
  if (!out.includes(`E_${i}_Z`)) throw new Error(`${c.label}: echo ${i} not seen: ${out.slice(0, 200)}`);
  return dt;
}

/** `bytes` bytes without newlines then an end marker; start_process waits for the exit (its own
 * 'exit' event). Checks the tail of the completed session for the marker. */
export async function dcRingCycle(c: DcConn, bytes: number): Promise<{ mibs: number; complete: boolean }> {
  const t0 = performance.now();
  const { pid } = await start(c, `head -c ${bytes} /dev/zero | tr '\\0' y; printf '%s' RING_''END`, 120_000);
  const dt = performance.now() - t0;
  const tail = await text(c, "read_process_output", { pid, offset: -1, length: 1 });
  return { mibs: bytes / MiB / (dt / 1000), complete: tail.includes("RING_END") };
}

/** Server RSS with `n` idle sessions open. */
export async function dcRss(c: DcConn, n: number): Promise<number> {
  const pids: number[] = [];
  try {
    for (let i = 0; i < n; i++) pids.push((await start(c, "exec sleep 300")).pid);
    await new Promise((r) => setTimeout(r, 500));
    return rssMiB(c.pid);
  } finally {
    for (const p of pids) await stop(c, p);
  }
}
