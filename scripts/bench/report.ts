// Collects benchmark rows and renders bench/results.json and bench/results.md.
import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { round, type Summary } from "./stats.ts";

export interface Target {
  op: "<=" | ">=";
  value: number;
  of: "median";
}

export interface Row extends Summary {
  suite: string;
  subject: string;
  metric: string;
  unit: string;
  /** Median of the peer measured in the same run, for the ratio column. */
  peerMedian?: number;
  higherIsBetter?: boolean;
  target?: Target;
  note?: string;
  /** Set when the subject could not be measured: the median cell reads "n/a: <reason>". */
  na?: string;
}

export interface BenchContext {
  quick: boolean;
  root: string;
  add(row: Row): void;
  rows: Row[];
}

export function machineInfo(root: string): Record<string, string> {
  const v = (cmd: string) => {
    try {
      return execSync(cmd, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
        .trim()
        .split("\n")[0]!;
    } catch {
      return "n/a";
    }
  };
  return {
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: v("node --version"),
    bun: v("node_modules/.bin/bun --version"),
    deno: v("node_modules/.bin/deno --version"),
    harness: `SDK Client on ${typeof (globalThis as { Bun?: unknown }).Bun !== "undefined" ? "Bun" : "Node"}`,
    date: new Date().toISOString(),
  };
}

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v)
    ? "–"
    : Math.abs(v) >= 100
      ? String(Math.round(v))
      : String(round(v, 2));

function ratio(r: Row): string {
  if (r.peerMedian === undefined || !Number.isFinite(r.peerMedian) || r.peerMedian === 0) return "–";
  // Ratio is always "how many times better than the peer" (>1 = we win).
  const x = r.higherIsBetter ? r.median / r.peerMedian : r.peerMedian / r.median;
  return `${round(x, 2)}× ${x >= 1 ? "better" : "worse"}`;
}

function verdict(r: Row): string {
  if (!r.target) return "";
  const ok = r.target.op === "<=" ? r.median <= r.target.value : r.median >= r.target.value;
  return `${r.target.op} ${r.target.value} ${ok ? "✅ met" : "❌ missed"}`;
}

export function renderMarkdown(rows: Row[], machine: Record<string, string>, quick: boolean): string {
  const lines: string[] = [];
  lines.push(
    `Measured ${machine.date} (${quick ? "quick pass" : "full run"}) on ${machine.cpu}, ${machine.memory};`,
  );
  lines.push(
    `Node ${machine.node}, Bun ${machine.bun}, ${machine.deno.replace(/\s*\(.*$/, "")}; harness: ${machine.harness}.`,
  );
  lines.push("");
  for (const suite of [...new Set(rows.map((r) => r.suite))]) {
    lines.push(`### ${suite}`, "");
    lines.push("| subject | metric | median | p95 | min–max | unit | vs peer | target |");
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const r of rows.filter((x) => x.suite === suite)) {
      lines.push(
        `| ${r.subject} | ${r.metric}${r.note ? ` (${r.note})` : ""} | ${r.na ? `n/a: ${r.na}` : fmt(r.median)} | ${fmt(r.p95)} | ${fmt(r.min)}–${fmt(r.max)} | ${r.unit} | ${ratio(r)} | ${verdict(r)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

export function writeResults(
  root: string,
  rows: Row[],
  machine: Record<string, string>,
  quick: boolean,
): string {
  const md = renderMarkdown(rows, machine, quick);
  writeFileSync(`${root}/bench/results.json`, `${JSON.stringify({ machine, quick, rows }, null, 2)}\n`);
  writeFileSync(`${root}/bench/results.md`, `# mcpkit benchmarks\n\n${md}`);
  return md;
}

/** Replaces the README's generated Performance block (between the bench markers) with `md`. */
export function updateReadme(root: string, md: string): boolean {
  const path = `${root}/README.md`;
  const text = readFileSync(path, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0) return false;
  writeFileSync(path, `${text.slice(0, i + start.length)}\n${md}\n${text.slice(j)}`);
  return true;
}
