// Cross-cutting protocol suites for every built server and every way of running it, with the SDK's
// reference server (@modelcontextprotocol/server-everything) measured in the same run as the peer.
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { encode } from "gpt-tokenizer";
import type { PreparedTarget } from "../server-targets.ts";
import { connectHttp, connectStdio, type Launch, rssMiB, startHttpServer } from "./mcp.ts";
import type { BenchContext } from "./report.ts";
import { summarize } from "./stats.ts";
import { freePort } from "./suites/util.ts";

export interface Subject {
  /** e.g. "pty (node bundle)" or "server-everything (node)" */
  label: string;
  server: string;
  way: string;
  stdio: Launch;
  http?: () => Launch | Promise<Launch>;
  trivialCall: PreparedTarget["trivialCall"];
  peer?: boolean;
  /** Measure with a client pinned to this revision (default: a 2025-era client, `initialize`). */
  pin?: "2026-07-28";
}

const EVERYTHING = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";

export function peerSubject(root: string, env: Record<string, string>): Subject {
  return {
    label: "server-everything (node)",
    server: "server-everything",
    way: "node",
    peer: true,
    stdio: { command: "node", args: [join(root, EVERYTHING), "stdio"], env },
    http: async () => {
      const port = await freePort();
      return {
        command: "node",
        args: [join(root, EVERYTHING), "streamableHttp"],
        env: { ...env, PORT: String(port) },
        url: `http://127.0.0.1:${port}/mcp`,
      };
    },
    trivialCall: { name: "echo", arguments: { message: "x" } },
  };
}

function shuffle<T>(a: T[]): T[] {
  const b = [...a];
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [b[i], b[j]] = [b[j]!, b[i]!];
  }
  return b;
}

/** Cold start: spawn → initialize answered → tools/list answered, interleaved across subjects. */
export async function coldStart(ctx: BenchContext, subjects: Subject[]): Promise<void> {
  const reps = ctx.quick ? 5 : 20;
  const init = new Map<string, number[]>();
  const list = new Map<string, number[]>();
  for (let r = 0; r < reps + 1; r++) {
    for (const s of shuffle(subjects)) {
      const t0 = performance.now();
      const { client } = await connectStdio(s.stdio, s.pin);
      const t1 = performance.now();
      await client.listTools();
      const t2 = performance.now();
      await client.close();
      if (r === 0) continue; // warm-up: file cache
      (init.get(s.label) ?? init.set(s.label, []).get(s.label)!).push(t1 - t0);
      (list.get(s.label) ?? list.set(s.label, []).get(s.label)!).push(t2 - t0);
    }
  }
  const peer = subjects.find((s) => s.peer);
  for (const s of subjects) {
    const target = s.way === "compiled binary" ? 60 : s.way === "node bundle" ? 150 : undefined;
    ctx.add({
      suite: "cold start",
      subject: s.label,
      metric: "spawn → initialize",
      unit: "ms",
      ...summarize(init.get(s.label)!),
      peerMedian: peer && !s.peer ? summarize(init.get(peer.label)!).median : undefined,
    });
    ctx.add({
      suite: "cold start",
      subject: s.label,
      metric: "spawn → initialize → tools/list",
      unit: "ms",
      ...summarize(list.get(s.label)!),
      target: target ? { op: "<=", value: target, of: "median" } : undefined,
      peerMedian: peer && !s.peer ? summarize(list.get(peer.label)!).median : undefined,
    });
  }
}

async function timedCalls(client: Client, call: Subject["trivialCall"], n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await client.callTool(call);
    out.push(performance.now() - t);
  }
  return out;
}

/** tools/call round trip over stdio plus RSS idle and after many calls; subjects interleaved in blocks. */
export async function roundTripAndMemory(ctx: BenchContext, subjects: Subject[]): Promise<void> {
  const total = ctx.quick ? 1000 : 10_000;
  const blocks = 10;
  const conns = await Promise.all(
    subjects.map(async (s) => ({ s, ...(await connectStdio(s.stdio, s.pin)) })),
  );
  const lat = new Map<string, number[]>();
  const idle = new Map<string, number>();
  for (const c of conns) {
    await timedCalls(c.client, c.s.trivialCall, 200); // warm-up (JIT)
    await new Promise((r) => setTimeout(r, 300));
    idle.set(c.s.label, rssMiB(c.pid));
    lat.set(c.s.label, []);
  }
  for (let b = 0; b < blocks; b++) {
    for (const c of shuffle(conns))
      lat.get(c.s.label)!.push(...(await timedCalls(c.client, c.s.trivialCall, total / blocks)));
  }
  const peer = conns.find((c) => c.s.peer);
  for (const c of conns) {
    const after = rssMiB(c.pid);
    ctx.add({
      suite: "stdio round trip",
      subject: `${c.s.label} · ${c.s.trivialCall.name}`,
      metric: "tools/call p50",
      unit: "ms",
      ...summarize(lat.get(c.s.label)!),
      target: c.s.peer ? undefined : { op: "<=", value: 0.35, of: "median" },
      peerMedian: peer && !c.s.peer ? summarize(lat.get(peer.s.label)!).median : undefined,
    });
    ctx.add({
      suite: "memory",
      subject: c.s.label,
      metric: `RSS idle → after ${total} calls`,
      unit: "MiB",
      n: 1,
      median: after,
      p95: after,
      p99: after,
      min: idle.get(c.s.label)!,
      max: after,
      note: `idle ${idle.get(c.s.label)!.toFixed(1)} MiB, growth ${(after - idle.get(c.s.label)!).toFixed(1)} MiB`,
    });
    await c.client.close();
  }
}

/** Streamable HTTP: sustained calls/s and latency with 16 concurrent sessions (SDK clients). */
export async function httpThroughput(ctx: BenchContext, subjects: Subject[]): Promise<void> {
  const sessions = 16;
  const seconds = ctx.quick ? 2 : 6;
  const results = new Map<string, { calls: number; secs: number; lat: number[] }>();
  for (const round of [0, 1]) {
    for (const s of round === 0 ? subjects : [...subjects].reverse()) {
      if (!s.http) continue;
      const server = await startHttpServer(await s.http());
      try {
        const clients = await Promise.all(Array.from({ length: sessions }, () => connectHttp(server.url)));
        for (const c of clients) await c.callTool(s.trivialCall);
        const end = performance.now() + seconds * 1000;
        const lat: number[] = [];
        let calls = 0;
        const t0 = performance.now();
        await Promise.all(
          clients.map(async (c) => {
            while (performance.now() < end) {
              const t = performance.now();
              await c.callTool(s.trivialCall);
              lat.push(performance.now() - t);
              calls++;
            }
          }),
        );
        const secs = (performance.now() - t0) / 1000;
        const prev = results.get(s.label) ?? { calls: 0, secs: 0, lat: [] };
        results.set(s.label, {
          calls: prev.calls + calls,
          secs: prev.secs + secs,
          lat: prev.lat.concat(lat),
        });
        await Promise.all(clients.map((c) => c.close()));
      } finally {
        await server.stop();
      }
    }
  }
  const peer = subjects.find((s) => s.peer);
  const peerRate =
    peer && results.get(peer.label)
      ? results.get(peer.label)!.calls / results.get(peer.label)!.secs
      : undefined;
  for (const [label, r] of results) {
    const rate = r.calls / r.secs;
    const isPeer = label === peer?.label;
    ctx.add({
      suite: "Streamable HTTP, 16 sessions",
      subject: label,
      metric: "calls/s",
      unit: "calls/s",
      n: r.calls,
      median: rate,
      p95: rate,
      p99: rate,
      min: rate,
      max: rate,
      higherIsBetter: true,
      target: isPeer ? undefined : { op: ">=", value: 3000, of: "median" },
      peerMedian: isPeer ? undefined : peerRate,
    });
    ctx.add({
      suite: "Streamable HTTP, 16 sessions",
      subject: label,
      metric: "call latency",
      unit: "ms",
      ...summarize(r.lat),
    });
  }
}

/** Size of each server's tools/list answer in tokens (gpt-tokenizer, cl200k-style encoding). */
export async function toolTokens(ctx: BenchContext, subjects: Subject[]): Promise<void> {
  for (const s of subjects) {
    const { client } = await connectStdio(s.stdio);
    const { tools } = await client.listTools();
    await client.close();
    const tokens = encode(JSON.stringify(tools)).length;
    ctx.add({
      suite: "tools/list size",
      subject: s.label,
      metric: `${tools.length} tools`,
      unit: "tokens",
      n: 1,
      median: tokens,
      p95: tokens,
      p99: tokens,
      min: tokens,
      max: tokens,
      target: s.server === "gateway" ? { op: "<=", value: 1200, of: "median" } : undefined,
    });
  }
}

/**
 * Ratios against a baseline build measured in the same run (e.g. v1 on main): for each server, the node
 * bundle's cold start and stdio round trip over the baseline's, with the "within 10%" target.
 */
export function compareWithBaseline(ctx: BenchContext, baseline: string): void {
  const find = (suite: string, subject: string, metric: string) =>
    ctx.rows.find((r) => r.suite === suite && r.subject === subject && r.metric === metric);
  for (const r of [...ctx.rows]) {
    const cold = r.suite === "cold start" && r.metric === "spawn → initialize → tools/list";
    const trip = r.suite === "stdio round trip";
    if (!(cold || trip) || !r.subject.includes("(node bundle)")) continue;
    const base = find(r.suite, r.subject.replace("(node bundle)", `(${baseline})`), r.metric);
    if (!base) continue;
    const x = r.median / base.median;
    ctx.add({
      suite: `v2 against ${baseline}`,
      subject: r.subject,
      metric: `${cold ? "cold start" : "tools/call p50"}: ${r.median.toFixed(2)} vs ${base.median.toFixed(2)} ms`,
      unit: "×",
      n: 1,
      median: x,
      p95: x,
      p99: x,
      min: x,
      max: x,
      target: { op: "<=", value: 1.1, of: "median" },
    });
  }
}
