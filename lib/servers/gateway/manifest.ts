import { existsSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../../core/errors.ts";
import shipped from "./data/manifest.json" with { type: "json" };
import { Bm25Index } from "./search/bm25.ts";
import { readStructuredFile } from "./structured-file.ts";

export const ManifestEntrySchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'"),
    description: z.string(),
    category: z.string().optional(),
    keywords: z.array(z.string()).default([]),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    url: z.string().optional(),
    transport: z.enum(["http", "sse"]).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    package: z.string().optional(),
    package_type: z.enum(["npm", "pypi"]).optional(),
    env_var: z.string().optional(),
    env_instructions: z.string().optional(),
    /**
     * How `npm run check:manifest` can check the launch: `npm` (the package is viewed on the npm registry);
     * the `unverified-*` kinds cannot be checked from where the check runs (PyPI, docker images, remote URLs).
     */
    verification: z.enum(["npm", "unverified-pypi", "unverified-docker", "unverified-remote"]).optional(),
    /** PMCP's auto-start pair: started at start-up when opted in (autoStart in .mcp.json, PMCP_LEGACY_MANIFEST_AUTOSTART=1). */
    auto_start: z.boolean().optional(),
    /** Why this server cannot be provisioned (its package is gone and nothing replaces it); provision says so. */
    not_available: z.string().min(1).optional(),
    /** What PMCP launches instead, and why this entry differs. */
    pmcp_differs: z.string().optional(),
  })
  .strict()
  .refine((e) => Boolean(e.command) !== Boolean(e.url), "needs exactly one of 'command' or 'url'");

export type ManifestEntry = z.output<typeof ManifestEntrySchema>;

const CliSchema = z.object({
  name: z.string(),
  description: z.string(),
  keywords: z.array(z.string()),
  prefer_mcp_for: z.array(z.string()).default([]),
});
export type CliAlternative = z.output<typeof CliSchema>;

const ShippedSchema = z.object({
  version: z.number(),
  categories: z.record(z.string(), z.array(z.string())),
  cli_alternatives: z.array(CliSchema),
  servers: z.array(ManifestEntrySchema),
});

/** An overlay lists servers as an array or as a map keyed by name. */
const OverlaySchema = z
  .object({
    servers: z.union([
      z.array(ManifestEntrySchema),
      z.record(z.string(), z.record(z.string(), z.unknown())).transform((map, ctx) => {
        const out: ManifestEntry[] = [];
        for (const [name, raw] of Object.entries(map)) {
          const parsed = ManifestEntrySchema.safeParse({ name, ...raw });
          if (!parsed.success) {
            for (const issue of parsed.error.issues)
              ctx.addIssue({ ...issue, path: [name, ...issue.path] } as never);
            return z.NEVER;
          }
          out.push(parsed.data);
        }
        return out;
      }),
    ]),
  })
  .passthrough();

/**
 * The curated list of installable servers (data/manifest.json), with an optional overlay whose entries
 * replace shipped ones by name. Parsed once; searched with the same BM25 as tools.
 */
export class Manifest {
  readonly categories: Record<string, string[]>;
  readonly clis: CliAlternative[];
  private readonly byName = new Map<string, ManifestEntry>();
  private index?: Bm25Index;

  constructor(overlayPath?: string) {
    const base = ShippedSchema.parse(shipped);
    this.categories = base.categories;
    this.clis = base.cli_alternatives;
    for (const e of base.servers) this.byName.set(e.name, e);
    if (overlayPath) {
      if (!existsSync(overlayPath))
        throw new ConfigError(`manifest ${overlayPath}: file not found (--manifest / PMCP_MANIFEST_PATH)`);
      const overlay = readStructuredFile(overlayPath, OverlaySchema, "manifest");
      for (const e of overlay.servers) this.byName.set(e.name, e);
    }
  }

  get size(): number {
    return this.byName.size;
  }

  get(name: string): ManifestEntry | undefined {
    return this.byName.get(name);
  }

  all(): ManifestEntry[] {
    return [...this.byName.values()];
  }

  /** Manifest servers ranked by relevance to a free-text query (name, keywords, category, description). */
  search(query: string, limit: number): Array<{ entry: ManifestEntry; score: number }> {
    if (!this.index) {
      this.index = new Bm25Index(
        this.all().map((e) => ({
          id: e.name,
          fields: {
            name: e.name,
            keywords: e.keywords.join(" "),
            category: e.category ?? "",
            description: e.description,
          },
        })),
        { name: 3, keywords: 2, category: 1, description: 1 },
      );
    }
    return [...this.index.score(query)]
      .map(([name, score]) => ({ entry: this.byName.get(name)!, score }))
      .sort((a, b) => b.score - a.score || a.entry.name.localeCompare(b.entry.name))
      .slice(0, limit);
  }
}
