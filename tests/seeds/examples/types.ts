/** The five seed documents (the originals' public docs), by file name under shared/seeds/. */
export type SeedFile = "pmcp.txt" | "ptc-mcp.txt" | "pty-mcp.txt" | "ptm-mcp.txt" | "trueppm-mcp.txt";

/**
 * How a test runs an example:
 * - verbatim: as written, only placeholder values replaced (example.com hosts and PASTE_HERE/your_token
 *   tokens by a fake backend's; `"..."` session ids and `/path/to/project` by real ones);
 * - adapted: with one stated change (a launcher, a path, a tool the machine lacks), said in `difference`;
 * - not-run: no test can run it here; `difference` says why and what to use instead.
 */
export type RunMode = "verbatim" | "adapted" | "not-run";

export interface SeedExample {
  /** Unique id; tests look examples up by it (`ex("...")`), and tests/seeds/table.test.ts checks coverage. */
  id: string;
  seed: SeedFile;
  /** The seed's section heading the example sits under. */
  section: string;
  /** The example exactly as the seed shows it (tests run this text, not a copy). */
  text: string;
  run: RunMode;
  /** For adapted and not-run examples: what differs from the seed, and why. */
  difference?: string;
  /** For verbatim examples: what the result shows beyond the seed (a superset, never less). */
  note?: string;
  /**
   * Set while the example's test fails on this branch because the fix belongs to another area
   * (named here); the README table reports these separately until the fix lands.
   */
  waitsOn?: string;
}

/** Looks an example up by id in one seed's list (throws on a typo, so a test cannot silently run nothing). */
export function lookup(list: readonly SeedExample[]): (id: string) => SeedExample {
  return (id) => {
    const found = list.find((e) => e.id === id);
    if (!found) throw new Error(`no seed example with id ${id}`);
    return found;
  };
}
