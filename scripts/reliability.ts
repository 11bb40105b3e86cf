// Runs the reliability and security suite (tests/reliability: input and protocol fuzzing, faults,
// load, security checks, secret canaries) and prints what it tried as a markdown table.
// `npm run reliability` → `bun scripts/reliability.ts` (CI sizes); `npm run reliability -- --long` runs
// the big sizes. The test files append their counters to MCPKIT_RELIABILITY_OUT; the last line printed
// is "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(new URL(".", import.meta.url).pathname, "..");
const { values } = parseArgs({
  options: { long: { type: "boolean", default: false }, file: { type: "string", multiple: true } },
  allowPositionals: true,
});

const dir = mkdtempSync(join(tmpdir(), "mcpkit-reliability-"));
const countersFile = join(dir, "counters.jsonl");
const reportFile = join(dir, "vitest.json");
const targets = values.file?.length ? values.file : ["tests/reliability"];

const started = Date.now();
// vitest runs on Node (the servers under test are the Node bundle), whatever runs this script.
const vitest = spawnSync(
  "node",
  [
    join(ROOT, "node_modules/vitest/vitest.mjs"),
    "run",
    ...targets,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
  ],
  {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      MCPKIT_RELIABILITY_OUT: countersFile,
      MCPKIT_RELIABILITY_LONG: values.long ? "1" : "0",
    },
  },
);
const seconds = (Date.now() - started) / 1000;

interface Line {
  area: string;
  counters: Record<string, number>;
  notes: Record<string, unknown>[];
}
const lines: Line[] = existsSync(countersFile)
  ? readFileSync(countersFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
  : [];

const byArea = new Map<string, Record<string, number>>();
const notes: { area: string; note: Record<string, unknown> }[] = [];
for (const l of lines) {
  const sum = byArea.get(l.area) ?? {};
  for (const [k, v] of Object.entries(l.counters)) sum[k] = (sum[k] ?? 0) + v;
  byArea.set(l.area, sum);
  for (const n of l.notes) notes.push({ area: l.area, note: n });
}
const total: Record<string, number> = {};
for (const sum of byArea.values()) for (const [k, v] of Object.entries(sum)) total[k] = (total[k] ?? 0) + v;

const n = (c: Record<string, number>, k: string) => (c[k] ?? 0).toLocaleString("en-US");
const row = (name: string, c: Record<string, number>) =>
  `| ${name} | ${n(c, "inputsTried")} (${n(c, "inputsAnswered")} answered) | ${n(c, "framesSent")} / ${n(c, "framesSurvived")} | ${n(c, "faultsInjected")} / ${n(c, "faultsSurvived")} | ${n(c, "loadCalls")} / ${n(c, "loadFailures")} | ${n(c, "stdioCalls")} / ${n(c, "stdioFailures")} | ${n(c, "securityChecks")} | ${n(c, "leaksFound")} | ${n(c, "canaryHits")} |`;

console.log(`\n## mcpkit reliability (${values.long ? "--long" : "bounded"}, ${seconds.toFixed(0)} s)\n`);
console.log(
  "| Area | Inputs tried | Malformed frames sent / survived | Faults injected / survived | HTTP calls under load / failed | stdio calls / failed | Security checks | Leaks found | Canary hits |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const [area, c] of [...byArea.entries()].sort()) console.log(row(area, c));
console.log(row("**total**", total));
console.log(`\nSecret canary scan: ${n(total, "canaryScannedBytes")} bytes of stderr, errors and results.`);
if (notes.length) {
  console.log("\n| Area | Measurement |\n|---|---|");
  for (const { area, note } of notes) console.log(`| ${area} | ${JSON.stringify(note)} |`);
}

let passed = 0;
let failed = 0;
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  passed = report.numPassedTests;
  failed = report.numFailedTests;
}
if (vitest.status !== 0 && failed === 0) failed = 1;
if ((total.canaryHits ?? 0) > 0 && failed === 0) failed = 1;
rmSync(dir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
