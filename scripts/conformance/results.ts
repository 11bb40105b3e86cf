import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ERAS = ["2026-07-28", "2025-11-25"] as const;
export type Era = (typeof ERAS)[number];

export interface ScenarioResult {
  name: string;
  passed: number;
  failed: number;
  warnings: number;
  /** Ids of the checks that failed (a check id can repeat: the suite probes some requirements twice). */
  failedChecks: string[];
  /** Why the requirement set does not score it (extension, pending, …); undefined when scored. */
  notScored?: string;
}

/**
 * Reads one suite run: every `server-<scenario>-<time>/checks.json` under its output directory, plus
 * the "Not scored" list of its stdout.
 */
export function readRun(outDir: string, stdout: string): Map<string, ScenarioResult> {
  const unscored = new Map<string, string>();
  const tail = stdout.slice(stdout.indexOf("Not scored for"));
  for (const m of tail.matchAll(/^\s+[✓✗] ([\w/-]+) \(([^)]*)\)$/gm)) unscored.set(m[1]!, m[2]!);
  const results = new Map<string, ScenarioResult>();
  if (!existsSync(outDir)) return results;
  for (const dir of readdirSync(outDir)) {
    const m = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(dir);
    const file = join(outDir, dir, "checks.json");
    if (!m || !existsSync(file)) continue;
    const checks = JSON.parse(readFileSync(file, "utf8")) as { id: string; status: string }[];
    const failedChecks = checks.filter((c) => c.status === "FAILURE").map((c) => c.id);
    results.set(m[1]!, {
      name: m[1]!,
      passed: checks.filter((c) => c.status === "SUCCESS").length,
      failed: failedChecks.length,
      warnings: checks.filter((c) => c.status === "WARNING").length,
      failedChecks,
      notScored: unscored.get(m[1]!),
    });
  }
  return results;
}
