import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Era, ScenarioResult } from "./results.ts";

/** How a server is tested: with the fixtures over HTTP or through the stdio bridge, or its real tools. */
export type Mode = "fixtures-http" | "fixtures-stdio" | "real-http";

/** An excused failure: a whole scenario (a reason alone), or only the listed checks of it. */
type Entry = string | { reason: string; checks: string[] };
type ByEra = Partial<Record<Era, Record<string, Entry>>>;

/** conformance/expected-failures.yml, see the comment at its top. */
interface ExpectedFile {
  every?: ByEra;
  stdio?: ByEra;
  real?: ByEra;
  servers?: Record<string, Partial<Record<Mode, ByEra>>>;
}

export type Verdict =
  | { kind: "pass" }
  | { kind: "excused"; reasons: string[] }
  | { kind: "fail"; checks: string[] };

export class ExpectedFailures {
  private readonly file: ExpectedFile;

  constructor(path: string) {
    this.file = (parse(readFileSync(path, "utf8")) ?? {}) as ExpectedFile;
  }

  private entries(server: string, mode: Mode, era: Era, scenario: string): Entry[] {
    const scopes: (ByEra | undefined)[] = [
      this.file.every,
      mode === "fixtures-stdio" ? this.file.stdio : undefined,
      mode === "real-http" ? this.file.real : undefined,
      this.file.servers?.[server]?.[mode],
    ];
    return scopes.map((s) => s?.[era]?.[scenario]).filter((e): e is Entry => e !== undefined);
  }

  /** Whether a scenario's failures are all excused for this server, mode and era. */
  judge(server: string, mode: Mode, era: Era, r: ScenarioResult): Verdict {
    if (r.failed === 0) return { kind: "pass" };
    const entries = this.entries(server, mode, era, r.name);
    if (entries.some((e) => typeof e === "string")) {
      return { kind: "excused", reasons: entries.map((e) => (typeof e === "string" ? e : e.reason)) };
    }
    const allowed = new Set(entries.flatMap((e) => (typeof e === "string" ? [] : e.checks)));
    const unexcused = [...new Set(r.failedChecks.filter((c) => !allowed.has(c)))];
    if (unexcused.length) return { kind: "fail", checks: unexcused };
    return { kind: "excused", reasons: entries.map((e) => (typeof e === "string" ? e : e.reason)) };
  }

  /** Server-specific entries whose scenario ran and passed: candidates for removal. */
  stale(server: string, mode: Mode, era: Era, results: Map<string, ScenarioResult>): string[] {
    const listed = Object.keys(this.file.servers?.[server]?.[mode]?.[era] ?? {});
    return listed.filter((scenario) => results.has(scenario) && results.get(scenario)!.failed === 0);
  }
}
