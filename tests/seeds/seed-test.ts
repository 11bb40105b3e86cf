import { describe, it } from "vitest";
import type { SeedExample } from "./examples/types.ts";

/** First line of an example, cut for a test title. */
function title(ex: SeedExample): string {
  const first = ex.text.split("\n")[0]!.trim();
  return `${ex.run === "adapted" ? "(adapted) " : ""}${first.length > 90 ? `${first.slice(0, 87)}...` : first}`;
}

/** One test per example, named `<seed> § <section>` / the example's first line. */
export function seedTest(ex: SeedExample, fn: () => Promise<void> | void, timeoutMs = 60_000): void {
  describe(`${ex.seed} § ${ex.section}`, () => {
    it(title(ex), fn, timeoutMs);
  });
}
