// pty: spawn → first output, write → echo and bulk-output throughput over stdio, for the node bundle and
// (when built) the compiled binary, whose PTY layer differs (node-pty vs Bun's terminal), interleaved.
// The peer, desktop-commander, is measured in the same run where it has an equivalent (pty-peer.ts),
// and shown as "n/a: <reason>" where it has none or fails to start.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { connectStdio, rssMiB } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import {
  type DcConn,
  dcEchoCycle,
  dcOpenShell,
  dcPatternCycle,
  dcRingCycle,
  dcRss,
  dcSpawnCycle,
  dcVersion,
  nowUs,
  PATTERN_CMD,
  PATTERN_RE,
  startDc,
} from "./pty-peer.ts";
import { call, naRow, push, shuffle, why } from "./util.ts";

const SUITE = "pty latency";
const SUITE_TP = "pty throughput";
const MiB = 1024 * 1024;

interface Conn {
  label: string;
  client: Client;
  pid: number;
}

async function spawnCycle(c: Conn, i: number): Promise<{ spawn: number; first: number; close: number }> {
  const mark = `FIRST_OUT_${i}`;
  const t0 = performance.now();
  const { text: id } = await call(c.client, "pty_spawn", {
    command: `printf '%s\\n' ${mark}; exec sleep 60`,
  });
  const t1 = performance.now();
  const r = await call(c.client, "pty_read_until", { session_id: id, pattern: mark, timeout_ms: 10_000 });
  const t2 = performance.now();
  if (r.data.matched !== true) throw new Error(`${c.label}: marker not seen`);
  await call(c.client, "pty_close", { session_id: id });
  const t3 = performance.now();
  return { spawn: t1 - t0, first: t2 - t0, close: t3 - t2 };
}

async function openShell(c: Conn): Promise<string> {
  const { text: id } = await call(c.client, "pty_spawn", { command: "exec bash --norc --noprofile -i" });
  await call(c.client, "pty_write", { session_id: id, data: "echo READY''_X\r" });
  const r = await call(c.client, "pty_read_until", {
    session_id: id,
    pattern: "READY_X",
    timeout_ms: 10_000,
  });
  if (r.data.matched !== true) throw new Error(`${c.label}: shell did not answer`);
  return id;
}

/** pty_write of `echo E_i''_Z\r` → pty_read_until("E_i_Z"): the quotes keep the typed echo from matching. */
async function echoCycle(c: Conn, id: string, i: number): Promise<number> {
  const t0 = performance.now();
  await call(c.client, "pty_write", { session_id: id, data: `echo E_${i}''_Z\r` });
  const r = await call(c.client, "pty_read_until", {
    session_id: id,
    pattern: `E_${i}_Z`,
    timeout_ms: 10_000,
  });
  const dt = performance.now() - t0;
  if (r.data.matched !== true) throw new Error(`${c.label}: echo ${i} not seen`);
  return dt;
}

/** A command printing `bytes` bytes (no newlines, so the tty adds none), then an end marker. */
async function throughputCycle(
  c: Conn,
  bytes: number,
): Promise<{ ms: number; got: number; dropped: number }> {
  const t0 = performance.now();
  const { text: id } = await call(c.client, "pty_spawn", {
    command: `head -c ${bytes} /dev/zero | tr '\\0' x; printf '\\n%s\\n' TP_''END; exec sleep 60`,
    max_output_bytes: 4 * bytes,
  });
  let got = 0;
  let dropped = 0;
  let tail = "";
  try {
    for (;;) {
      const r = await call(c.client, "pty_read", { session_id: id, max_chars: MiB, timeout_ms: 5000 });
      const text = String(r.data.text ?? "");
      got += Buffer.byteLength(text);
      dropped = Math.max(dropped, Number(r.data.dropped_bytes ?? 0));
      tail = (tail + text).slice(-64);
      if (tail.includes("TP_END")) break;
      if (!text && performance.now() - t0 > 60_000) throw new Error(`${c.label}: throughput stalled`);
    }
    return { ms: performance.now() - t0, got, dropped };
  } finally {
    await call(c.client, "pty_close", { session_id: id });
  }
}

/** A stream of `bytes` bytes without newlines into the ring (nobody reads): spawn → exit reported. The
 * exit is reported only after every byte is in the ring (tests/pty/burst.test.ts proves that). */
async function ringCycle(c: Conn, bytes: number): Promise<number> {
  const t0 = performance.now();
  const { text: id } = await call(c.client, "pty_spawn", {
    command: `head -c ${bytes} /dev/zero | tr '\\0' y`,
  });
  try {
    const r = await call(c.client, "pty_wait", { session_id: id, timeout_ms: 120_000 }, 130_000);
    if (r.data.running === true) throw new Error(`${c.label}: ${bytes} B stream did not finish`);
    return performance.now() - t0;
  } finally {
    await call(c.client, "pty_close", { session_id: id }).catch(() => {});
  }
}

/** Pattern printed (the child's clock, just before its echo) → the waiting pty_read_until returns. */
async function patternCycle(c: Conn): Promise<number> {
  const { text: id } = await call(c.client, "pty_spawn", { command: PATTERN_CMD });
  try {
    const r = await call(c.client, "pty_read_until", {
      session_id: id,
      pattern: PATTERN_RE.source,
      regex: true,
      timeout_ms: 10_000,
    });
    const t = nowUs();
    const m = PATTERN_RE.exec(String(r.data.text ?? ""));
    if (r.data.matched !== true || !m) throw new Error(`${c.label}: pattern not seen`);
    return (t - Number(m[1])) / 1000;
  } finally {
    await call(c.client, "pty_close", { session_id: id }).catch(() => {});
  }
}

/** Server RSS (the mcpkit process alone, not its children) with `n` idle sessions open. */
async function rssWithSessions(c: Conn, n: number): Promise<number> {
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i++)
      ids.push((await call(c.client, "pty_spawn", { command: "exec sleep 300" })).text);
    await new Promise((r) => setTimeout(r, 500));
    return rssMiB(c.pid);
  } finally {
    for (const id of ids) await call(c.client, "pty_close", { session_id: id }).catch(() => {});
  }
}

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const ways: { label: string; cmd: string[] }[] = [{ label: "pty (node bundle)", cmd: env.mcpkit }];
  const binary = join(ctx.root, "dist/mcpkit");
  if (existsSync(binary)) ways.push({ label: "pty (compiled binary)", cmd: [binary] });
  const spawnReps = ctx.quick ? 6 : 25;
  const echoReps = ctx.quick ? 40 : 300;
  const tpReps = ctx.quick ? 2 : 5;
  const tpBytes = 5 * 1000 * 1000;
  const penv = {
    ...env.target.env,
    PTY_MCP_LOGIN_SHELL: "0",
    PTY_MCP_REQUIRE_OWNER: "0",
    PTY_MCP_LOG: "warn",
    PTY_MCP_MAX_SESSIONS: "64",
  };
  const conns: Conn[] = [];
  try {
    for (const w of ways) {
      const { client, pid } = await connectStdio({
        command: w.cmd[0]!,
        args: [...w.cmd.slice(1), "pty", ...env.target.args],
        env: penv,
        cwd: env.target.cwd,
      });
      conns.push({ label: w.label, client, pid });
    }
    const spawn = new Map<string, number[]>();
    const first = new Map<string, number[]>();
    const close = new Map<string, number[]>();
    const echo = new Map<string, number[]>();
    const tp = new Map<string, number[]>();
    const tpMs = new Map<string, number[]>();
    const notes = new Map<string, string>();
    // Warm-up: JIT, file cache, bash and coreutils pages.
    for (const c of conns) {
      await spawnCycle(c, -1);
      const id = await openShell(c);
      for (let i = 0; i < 10; i++) await echoCycle(c, id, -1 - i);
      await call(c.client, "pty_close", { session_id: id });
    }
    for (let r = 0; r < spawnReps; r++) {
      for (const c of shuffle(conns)) {
        const s = await spawnCycle(c, r);
        push(spawn, c.label, s.spawn);
        push(first, c.label, s.first);
        push(close, c.label, s.close);
      }
    }
    const shells = new Map<string, string>();
    for (const c of conns) shells.set(c.label, await openShell(c));
    const blocks = 10;
    for (let b = 0; b < blocks; b++) {
      for (const c of shuffle(conns)) {
        for (let i = 0; i < echoReps / blocks; i++)
          push(echo, c.label, await echoCycle(c, shells.get(c.label)!, b * 1000 + i));
      }
    }
    for (const c of conns) await call(c.client, "pty_close", { session_id: shells.get(c.label)! });
    for (let r = 0; r < tpReps; r++) {
      for (const c of r % 2 ? [...conns].reverse() : conns) {
        const t = await throughputCycle(c, tpBytes);
        push(tpMs, c.label, t.ms);
        push(tp, c.label, tpBytes / MiB / (t.ms / 1000));
        if (t.dropped > 0 || t.got < tpBytes) notes.set(c.label, `read ${t.got} B, dropped ${t.dropped} B`);
      }
    }
    const ringBytes = (ctx.quick ? 10 : 50) * 1000 * 1000;
    const ring = new Map<string, number[]>();
    const rss = new Map<string, number[]>();
    for (let r = 0; r < (ctx.quick ? 1 : 3); r++) {
      for (const c of r % 2 ? [...conns].reverse() : conns) {
        push(ring, c.label, ringBytes / MiB / ((await ringCycle(c, ringBytes)) / 1000));
        push(rss, c.label, await rssWithSessions(c, 50));
      }
    }
    // The peer, and pattern → read for everyone, interleaved.
    const patReps = ctx.quick ? 6 : 20;
    // Every desktop-commander call takes ~1 s here: fewer of its samples in --quick.
    const dcReps = ctx.quick ? 3 : spawnReps;
    const pat = new Map<string, number[]>();
    let dc: DcConn | undefined;
    let dcErr = "";
    try {
      dc = await startDc(ctx);
    } catch (e) {
      dcErr = `did not start: ${why(e)}`;
    }
    const dcLabel = dc?.label ?? `desktop-commander ${dcVersion(ctx.root)} (node)`;
    const dcm = new Map<string, number[]>();
    const dcNa = new Map<string, string>();
    const dcNote = new Map<string, string>();
    const dcTry = async (k: string, fn: (d: DcConn) => Promise<void>) => {
      if (!dc) return void dcNa.set(k, dcErr);
      if (dcNa.has(k)) return;
      try {
        await fn(dc);
      } catch (e) {
        dcNa.set(k, why(e));
      }
    };
    try {
      await dcTry("first", async (d) => void (await dcSpawnCycle(d, -1))); // warm-up
      for (let r = 0; r < dcReps; r++)
        await dcTry("first", async (d) => {
          const x = await dcSpawnCycle(d, r);
          push(dcm, "spawn", x.spawn);
          push(dcm, "first", x.first);
          push(dcm, "close", x.close);
        });
      for (let r = 0; r < patReps; r++) {
        for (const c of shuffle(conns)) push(pat, c.label, await patternCycle(c));
        if (r < dcReps) await dcTry("pattern", async (d) => push(dcm, "pattern", await dcPatternCycle(d)));
      }
      await dcTry("echo", async (d) => {
        const pid = await dcOpenShell(d);
        try {
          for (let i = 0; i < (ctx.quick ? 5 : 100); i++) push(dcm, "echo", await dcEchoCycle(d, pid, i));
        } finally {
          await call(d.client, "force_terminate", { pid }).catch(() => {});
        }
      });
      for (let r = 0; r < (ctx.quick ? 1 : 3); r++)
        await dcTry("ring", async (d) => {
          const x = await dcRingCycle(d, ringBytes);
          push(dcm, "ring", x.mibs);
          if (!x.complete) dcNote.set("ring", "end marker missing from the completed session");
        });
      await dcTry("rss", async (d) => push(dcm, "rss", await dcRss(d, 50)));
    } finally {
      await dc?.close();
    }
    const dcMedian = (k: string) => (dcm.get(k)?.length ? summarize(dcm.get(k)!).median : undefined);
    const peerOf = (c: Conn, k: string) => (c.label.includes("node bundle") ? dcMedian(k) : undefined);
    for (const c of conns) {
      ctx.add({
        suite: SUITE,
        subject: c.label,
        metric: "pattern printed → waiting pty_read_until returns",
        unit: "ms",
        ...summarize(pat.get(c.label)!),
        peerMedian: peerOf(c, "pattern"),
        target: { op: "<=", value: 10, of: "median" },
        note: "child's EPOCHREALTIME vs the harness clock",
      });
    }
    const dcRow = (
      suite: string,
      k: string,
      metric: string,
      unit: string,
      note: string,
      higherIsBetter?: boolean,
    ) => {
      const v = dcm.get(k);
      if (!v?.length) return ctx.add(naRow(suite, dcLabel, metric, unit, dcNa.get(k) ?? "not measured"));
      ctx.add({
        suite,
        subject: dcLabel,
        metric,
        unit,
        ...summarize(v),
        higherIsBetter,
        note: dcNote.get(k) ?? note,
      });
    };
    dcRow(
      SUITE,
      "pattern",
      "pattern printed → waiting read returns",
      "ms",
      "read_process_output, timeout_ms 10000",
    );
    dcRow(
      SUITE,
      "spawn",
      "spawn call",
      "ms",
      "start_process, timeout_ms 1; every desktop-commander tool call took 0.5–1.5 s here, list_sessions too",
    );
    dcRow(
      SUITE,
      "first",
      "spawn → first output",
      "ms",
      "start_process (timeout_ms 1) + read_process_output until the marker",
    );
    dcRow(
      SUITE,
      "close",
      "close of a running command",
      "ms",
      "force_terminate: answers after sending SIGINT, before the exit",
    );
    dcRow(
      SUITE,
      "echo",
      "write → echo",
      "ms",
      "interact_with_process on sh -i (pipes, no tty); it polls every 50 ms",
    );
    dcRow(
      SUITE_TP,
      "ring",
      `${ringBytes / 1e6} MB stream into the buffer (spawn → exit reported)`,
      "MiB/s",
      "start_process waiting for the exit",
      true,
    );
    dcRow(SUITE_TP, "rss", "server RSS with 50 sessions open", "MiB", "sleep 300 under start_process");
    ctx.add(
      naRow(
        SUITE_TP,
        dcLabel,
        `${tpBytes / 1e6} MB of output, spawn → all read`,
        "ms",
        "no equivalent: read_process_output pages by lines, and a partial line once read is never returned again as it grows",
      ),
    );
    for (const c of conns) {
      ctx.add({
        suite: SUITE_TP,
        subject: c.label,
        metric: `${ringBytes / 1e6} MB stream into the ring (spawn → exit reported)`,
        unit: "MiB/s",
        higherIsBetter: true,
        ...summarize(ring.get(c.label)!),
        peerMedian: peerOf(c, "ring"),
        target: c.label.includes("node") ? { op: ">=", value: 25, of: "median" } : undefined,
      });
      ctx.add({
        suite: SUITE_TP,
        subject: c.label,
        metric: "server RSS with 50 sessions open",
        unit: "MiB",
        ...summarize(rss.get(c.label)!),
        peerMedian: peerOf(c, "rss"),
        target: { op: "<=", value: 150, of: "median" },
      });
      ctx.add({
        suite: SUITE,
        subject: c.label,
        metric: "pty_spawn call",
        unit: "ms",
        ...summarize(spawn.get(c.label)!),
        peerMedian: peerOf(c, "spawn"),
      });
      ctx.add({
        suite: SUITE,
        subject: c.label,
        metric: "spawn → first output (pty_spawn + pty_read_until)",
        unit: "ms",
        ...summarize(first.get(c.label)!),
        peerMedian: peerOf(c, "first"),
        note: "PTY_MCP_LOGIN_SHELL=0",
      });
      ctx.add({
        suite: SUITE,
        subject: c.label,
        metric: "pty_close of a running command",
        unit: "ms",
        ...summarize(close.get(c.label)!),
        peerMedian: peerOf(c, "close"),
      });
      ctx.add({
        suite: SUITE,
        subject: c.label,
        metric: "write → echo (pty_write + pty_read_until)",
        unit: "ms",
        ...summarize(echo.get(c.label)!),
        peerMedian: peerOf(c, "echo"),
        note: "interactive bash",
      });
      ctx.add({
        suite: SUITE_TP,
        subject: c.label,
        metric: `${tpBytes / 1e6} MB of output, spawn → all read`,
        unit: "ms",
        ...summarize(tpMs.get(c.label)!),
        note: notes.get(c.label) ?? "pty_read, max_chars 1 MiB",
      });
      ctx.add({
        suite: SUITE_TP,
        subject: c.label,
        metric: "output throughput",
        unit: "MiB/s",
        higherIsBetter: true,
        ...summarize(tp.get(c.label)!),
      });
    }
  } finally {
    await Promise.allSettled(conns.map((c) => c.client.close()));
  }
}

export const ptySuite: ServerSuite = { name: "pty", server: "pty", run };
