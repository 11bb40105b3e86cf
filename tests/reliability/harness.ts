// Shared plumbing of the reliability suite: sizes (bounded vs --long), counters recorded for
// scripts/reliability.ts, the secret canaries every server is configured with, and process/fd probes.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";

/** `npm run reliability -- --long` sets MCPKIT_RELIABILITY_LONG=1. */
export const LONG = process.env.MCPKIT_RELIABILITY_LONG === "1";

/**
 * Every size the suite uses, bounded for CI and big for --long. HTTP load is per server (CI: 10
 * sessions × 100 calls against each of the five); --long runs 50 sessions × 1,000 calls in all, 200
 * per session per server. stdioCalls is the total, split over the five servers.
 */
export const SIZES = LONG
  ? {
      fuzzRunsPerTool: 100,
      httpSessions: 50,
      callsPerSession: 200,
      stdioCalls: 100_000,
      largeLineBytes: 50 * 1024 * 1024,
      hugeStringBytes: 1024 * 1024,
      nestingDepth: 1_000,
    }
  : {
      fuzzRunsPerTool: 20,
      httpSessions: 10,
      callsPerSession: 100,
      stdioCalls: 5_000,
      largeLineBytes: 3 * 1024 * 1024,
      hugeStringBytes: 256 * 1024,
      nestingDepth: 500,
    };

/** The fixed fast-check seed that keeps CI deterministic. */
export const SEED = 0x5eed_0010;

/** Long enough to tell a hang from a slow, shared machine; never a timing assertion. */
export const HANG_MS = LONG ? 120_000 : 30_000;

/** Where the counters go; scripts/reliability.ts sets it, a temp file otherwise. */
export const OUT_FILE = process.env.MCPKIT_RELIABILITY_OUT ?? join(tmpdir(), "mcpkit-reliability.jsonl");

export type CounterName =
  | "inputsTried"
  | "inputsAnswered"
  | "framesSent"
  | "framesSurvived"
  | "faultsInjected"
  | "faultsSurvived"
  | "loadCalls"
  | "loadFailures"
  | "stdioCalls"
  | "stdioFailures"
  | "leaksFound"
  | "securityChecks"
  | "canaryScannedBytes"
  | "canaryHits";

/** Counters of one test file, appended to OUT_FILE as one JSON line per flush. */
export class Counters {
  private readonly values = new Map<string, number>();
  readonly notes: Record<string, unknown>[] = [];
  constructor(readonly area: string) {}

  add(name: CounterName, n = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + n);
  }

  get(name: CounterName): number {
    return this.values.get(name) ?? 0;
  }

  note(entry: Record<string, unknown>): void {
    this.notes.push(entry);
  }

  flush(): void {
    const line = {
      area: this.area,
      long: LONG,
      counters: Object.fromEntries(this.values),
      notes: this.notes,
    };
    appendFileSync(OUT_FILE, `${JSON.stringify(line)}\n`);
    this.values.clear();
    this.notes.length = 0;
  }
}

// ---- secret canaries --------------------------------------------------------------------------

const tag = (Date.now() ^ (process.pid << 8)).toString(16).padStart(8, "0").slice(-8);

/** Unique fake secrets; none of them may ever appear in anything a server says. */
export const CANARY = {
  ptmToken: `ptm_u_canaryPTM${tag}0secret`,
  trueppmToken: `tppm_${`c0ffee${tag}`.padEnd(64, "7")}`,
  authToken: `mcpkit-auth-canary-${tag}-bearer`,
  downstream: `downstream-env-canary-${tag}-secret`,
  cloudflare: `cf-secret-canary-${tag}`,
};

/** Collects every stderr line, error and result the suite sees, and counts canary hits in them. */
export class CanaryWatch {
  private readonly texts: string[] = [];
  private readonly streams: (() => string)[] = [];

  /** Something a server produced: a result, an error, a response body. */
  seen(value: unknown): void {
    if (value === undefined) return;
    if (typeof value === "string") this.texts.push(value);
    else if (value instanceof Error)
      this.texts.push(`${value.name}: ${value.message}\n${String(value.stack)}`);
    else {
      try {
        this.texts.push(JSON.stringify(value));
      } catch {
        this.texts.push(String(value));
      }
    }
  }

  /** A stderr (or stdout) that keeps growing; read at scan time. */
  stream(read: () => string): void {
    this.streams.push(read);
  }

  /** Secrets found, with where; also counts the scanned bytes. */
  scan(counters: Counters): { hits: string[]; bytes: number } {
    const all = [...this.texts, ...this.streams.map((s) => s())];
    const hits: string[] = [];
    let bytes = 0;
    for (const t of all) {
      bytes += t.length;
      for (const [name, secret] of Object.entries(CANARY)) {
        let at = t.indexOf(secret);
        while (at >= 0) {
          hits.push(`${name}: …${t.slice(Math.max(0, at - 80), at + secret.length + 20)}…`);
          at = t.indexOf(secret, at + 1);
        }
      }
    }
    counters.add("canaryScannedBytes", bytes);
    counters.add("canaryHits", hits.length);
    return { hits, bytes };
  }
}

// ---- processes, fds, memory -------------------------------------------------------------------

interface Proc {
  pid: number;
  ppid: number;
  stat: string;
}

function processTable(): Proc[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,stat="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length >= 3)
    .map(([pid, ppid, stat]) => ({ pid: Number(pid), ppid: Number(ppid), stat: stat! }));
}

/** Live (non-zombie) descendants of `pid`, from the real process table. */
export function descendants(pid: number): number[] {
  const table = processTable();
  const kids = new Map<number, Proc[]>();
  for (const p of table) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of kids.get(p) ?? []) {
      if (!c.stat.startsWith("Z")) found.push(c.pid);
      walk(c.pid);
    }
  };
  walk(pid);
  return found;
}

/** Those of `pids` that still run (zombies count as gone). */
export function stillRunning(pids: number[]): number[] {
  const live = new Map(processTable().map((p) => [p.pid, p.stat]));
  return pids.filter((p) => live.has(p) && !live.get(p)!.startsWith("Z"));
}

/** Open file descriptors of a process (Linux /proc; -1 where unavailable). */
export function fdCount(pid: number): number {
  const dir = `/proc/${pid}/fd`;
  if (!existsSync(dir)) return -1;
  try {
    return readdirSync(dir).length;
  } catch {
    return -1;
  }
}

/** Resident set size in KiB (Linux /proc; -1 where unavailable). */
export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Polls until `check` holds; returns false (never throws) when it does not within `ms`. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

/** Races a promise against the hang detector. */
export async function withinHang<T>(p: Promise<T>, what: string, ms = HANG_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`hang: ${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

export interface CallOutcome {
  kind: "result" | "tool-error" | "rpc-error" | "failure";
  value: unknown;
}

/**
 * Calls a tool and classifies the answer: a result, a result with isError, a JSON-RPC error from the
 * server, or a failure (hang, closed transport, anything else the client raised).
 */
export async function classifyCall(
  client: Client,
  name: string,
  args: unknown,
  timeoutMs = HANG_MS,
): Promise<CallOutcome> {
  try {
    const r = await client.callTool(
      { name, arguments: args as Record<string, unknown> },
      {
        timeout: timeoutMs,
        maxTotalTimeout: timeoutMs,
      },
    );
    return { kind: r.isError ? "tool-error" : "result", value: r };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // The client's own check of structuredContent against the tool's outputSchema: a server bug.
    if (/output schema|structured content/i.test(String((err as Error).message))) {
      return { kind: "failure", value: err };
    }
    // -32001 is the client's own request timeout and -32000 "Connection closed": both mean no answer.
    if (typeof code === "number" && code !== -32001 && code !== -32000) {
      return { kind: "rpc-error", value: err };
    }
    return { kind: "failure", value: err };
  }
}

/**
 * A raw HTTP exchange on a fresh socket (fetch forbids forging Host; a refused request's unread body must
 * not poison the next one), resolving status, body and headers.
 */
export function rawHttp(
  origin: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(origin);
  return new Promise((res, rej) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: opts.path ?? "/mcp",
        method: opts.method ?? "POST",
        headers: opts.headers ?? {},
        agent: false,
      },
      (r) => {
        let body = "";
        r.on("data", (d: Buffer) => {
          body += d.toString();
        });
        r.on("end", () => res({ status: r.statusCode ?? 0, body, headers: r.headers }));
        r.on("error", rej);
      },
    );
    req.on("error", rej);
    req.end(opts.body ?? "");
  });
}
