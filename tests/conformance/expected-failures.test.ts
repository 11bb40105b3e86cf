import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ExpectedFailures } from "../../scripts/conformance/expected.ts";
import type { ScenarioResult } from "../../scripts/conformance/results.ts";
import { ROOT } from "../helpers/mcpkit.ts";

const FILE = join(ROOT, "conformance/expected-failures.yml");
const result = (name: string, failedChecks: string[]): ScenarioResult => ({
  name,
  passed: 1,
  failed: failedChecks.length,
  warnings: 0,
  failedChecks,
});

describe("conformance/expected-failures.yml", () => {
  it("names a reason for every entry, under known scopes, modes and eras", () => {
    const file = parse(readFileSync(FILE, "utf8")) as Record<string, unknown>;
    const eras = new Set(["2026-07-28", "2025-11-25"]);
    const entries: [string, unknown][] = [];
    const byEra = (where: string, scope: Record<string, Record<string, unknown>>) => {
      for (const [era, scenarios] of Object.entries(scope)) {
        expect(eras.has(era), `${where}: era ${era}`).toBe(true);
        for (const [scenario, entry] of Object.entries(scenarios))
          entries.push([`${where} ${era} ${scenario}`, entry]);
      }
    };
    for (const [scope, value] of Object.entries(file)) {
      if (scope === "servers") {
        for (const [server, modes] of Object.entries(value as Record<string, Record<string, never>>)) {
          for (const [mode, v] of Object.entries(modes)) {
            expect(["fixtures-http", "fixtures-stdio", "real-http"], `${server}: mode ${mode}`).toContain(
              mode,
            );
            byEra(`${server} ${mode}`, v);
          }
        }
      } else {
        expect(["every", "stdio", "real"], `scope ${scope}`).toContain(scope);
        byEra(scope, value as Record<string, Record<string, unknown>>);
      }
    }
    expect(entries.length).toBeGreaterThan(5);
    for (const [where, entry] of entries) {
      const reason = typeof entry === "string" ? entry : (entry as { reason?: string }).reason;
      expect(reason?.length ?? 0, where).toBeGreaterThan(30);
      if (typeof entry !== "string")
        expect((entry as { checks: string[] }).checks.length, where).toBeGreaterThan(0);
    }
  });

  it("excuses a listed scenario, only the listed checks of a check-level entry, and nothing else", () => {
    const expected = new ExpectedFailures(FILE);
    expect(
      expected.judge("pty", "fixtures-http", "2026-07-28", result("tasks-lifecycle", ["a", "b"])).kind,
    ).toBe("excused");
    // Listed for 2026-07-28 only.
    expect(expected.judge("pty", "fixtures-http", "2025-11-25", result("tasks-lifecycle", ["a"])).kind).toBe(
      "fail",
    );
    const schema = (checks: string[]) =>
      expected.judge("ptc", "real-http", "2025-11-25", result("json-schema-2020-12", checks));
    expect(schema(["json-schema-2020-12-$schema"]).kind).toBe("excused");
    expect(schema(["json-schema-2020-12-$schema", "json-schema-2020-12-$defs"])).toEqual({
      kind: "fail",
      checks: ["json-schema-2020-12-$defs"],
    });
    // The stdio scope applies to the bridge only.
    const httpChecks = ["sep-2575-http-server-meta-invalid-400"];
    expect(
      expected.judge("pty", "fixtures-stdio", "2026-07-28", result("server-stateless", httpChecks)).kind,
    ).toBe("excused");
    expect(
      expected.judge("pty", "fixtures-http", "2026-07-28", result("server-stateless", httpChecks)).kind,
    ).toBe("fail");
    expect(expected.judge("pty", "fixtures-http", "2026-07-28", result("tools-list", [])).kind).toBe("pass");
  });
});
