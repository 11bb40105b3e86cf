// Small helpers shared by the per-server suites (not a suite itself).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { connectStdio, type Launch } from "../mcp.ts";
import type { Row } from "../report.ts";

export interface Scratch {
  dir: string;
  cleanup(): void;
}

/** A private temp dir, removed by cleanup() (call it from a finally block). */
export function scratchDir(prefix: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `mcpkit-bench-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CallResult {
  isError: boolean;
  text: string;
  data: Record<string, unknown>;
}

/** tools/call that throws on isError, returning text and structuredContent. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  timeout = 60_000,
): Promise<CallResult> {
  const r = (await client.callTool({ name, arguments: args }, { timeout })) as {
    isError?: boolean;
    content?: { type: string; text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  const text = (r.content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("\n");
  if (r.isError) throw new Error(`${name} failed: ${text.slice(0, 300)}`);
  return { isError: false, text, data: r.structuredContent ?? {} };
}

export function shuffle<T>(a: T[]): T[] {
  const b = [...a];
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [b[i], b[j]] = [b[j]!, b[i]!];
  }
  return b;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 20,
): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Pushes into a named sample list. */
export function push(m: Map<string, number[]>, key: string, v: number): void {
  (m.get(key) ?? m.set(key, []).get(key)!).push(v);
}

/** Stdio clients a suite opens, so its finally block can close whatever is still open. */
export function openClients(): {
  open(l: Launch): Promise<Client>;
  closeOne(c: Client): Promise<void>;
  closeAll(): Promise<void>;
} {
  const live = new Set<Client>();
  return {
    async open(l) {
      const { client } = await connectStdio(l);
      live.add(client);
      return client;
    },
    async closeOne(c) {
      live.delete(c);
      await c.close();
    },
    async closeAll() {
      await Promise.allSettled([...live].map((c) => c.close()));
      live.clear();
    },
  };
}

/** A row for a measure a subject could not take (the peer has no equivalent, or failed to start). */
export function naRow(suite: string, subject: string, metric: string, unit: string, reason: string): Row {
  const nan = Number.NaN;
  return {
    suite,
    subject,
    metric,
    unit,
    n: 0,
    median: nan,
    p95: nan,
    p99: nan,
    min: nan,
    max: nan,
    na: reason,
  };
}

/** The first line of an error, for an n/a cell. */
export const why = (e: unknown) =>
  String(e instanceof Error ? e.message : e)
    .split("\n")[0]!
    .slice(0, 160);

/** A loopback port that was free a moment ago (for servers that need a port on their command line). */
export async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}
