import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/mcpkit.ts";
import { ALL_EXAMPLES } from "./examples/index.ts";
import { renderFidelity } from "./table.ts";

// Keeps the seeds' inventory, its tests and the README's "Drop-in fidelity" table in step.
// After changing tests/seeds/examples:
//   SEEDS_TABLE_WRITE=1 npx vitest run tests/seeds/table.test.ts && npx biome format --write README.md

/** Table rows as biome's markdown formatter pads them compare equal to the generated, unpadded ones. */
function normalize(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith("|") ? line.replace(/\s*\|\s*/g, "|").replace(/-{3,}/g, "---") : line))
    .join("\n");
}

const START = "<!-- seeds:start -->";
const END = "<!-- seeds:end -->";
const dir = join(ROOT, "tests/seeds");
const testSources = readdirSync(dir)
  .filter((f) => f.endsWith(".test.ts") && f !== "table.test.ts")
  .map((f) => readFileSync(join(dir, f), "utf8"))
  .join("\n");

describe("seed examples inventory", () => {
  it("has unique ids, and a reason for every example that does not run verbatim", () => {
    const ids = ALL_EXAMPLES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of ALL_EXAMPLES) {
      if (e.run !== "verbatim") expect(e.difference, e.id).toBeTruthy();
      if (e.run === "not-run") expect(e.waitsOn, e.id).toBeUndefined();
    }
  });

  it("every example that runs has a test in tests/seeds, and no test names an unknown or unrun example", () => {
    for (const e of ALL_EXAMPLES) {
      const used = testSources.includes(`"${e.id}"`);
      expect(used, `${e.id} (${e.run})`).toBe(e.run !== "not-run");
    }
    const named = [...testSources.matchAll(/ex\("([a-z]+\.[\w.-]+)"\)/g)].map((m) => m[1]!);
    for (const id of named)
      expect(
        ALL_EXAMPLES.some((e) => e.id === id),
        id,
      ).toBe(true);
  });

  it("the README's Drop-in fidelity section is the table generated from the inventory", () => {
    const path = join(ROOT, "README.md");
    const readme = readFileSync(path, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, "README.md lacks the seeds markers").toBeGreaterThan(0);
    const current = readme.slice(start + START.length, end).trim();
    const wanted = renderFidelity(ALL_EXAMPLES);
    if (process.env.SEEDS_TABLE_WRITE && normalize(current) !== normalize(wanted)) {
      writeFileSync(path, `${readme.slice(0, start + START.length)}\n${wanted}\n${readme.slice(end)}`);
      return;
    }
    expect(
      normalize(current),
      "regenerate: SEEDS_TABLE_WRITE=1 npx vitest run tests/seeds/table.test.ts && npx biome format --write README.md",
    ).toBe(normalize(wanted));
  });
});
