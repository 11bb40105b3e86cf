import { globToRegExp } from "../../core/glob.ts";
/**
 * Tool names inside scripts. PTC-MCP turns `-` into `_` (`financial-data`/`get-data` →
 * `mcp__financial_data__get_data`); we also turn every other character that cannot appear in a JavaScript or
 * Python identifier into `_`, so every tool is callable by name. Names PTC-MCP accepts come out the same.
 */
export function sanitizePart(part: string): string {
  return part.replace(/[^A-Za-z0-9_]/g, "_");
}

export function namespacedName(server: string, tool: string): string {
  return `mcp__${sanitizePart(server)}__${sanitizePart(tool)}`;
}

/** The name as Claude Code spells it: nothing replaced. */
export function exactName(server: string, tool: string): string {
  return `mcp__${server}__${tool}`;
}

/** Filters by allow or block globs; a tool matches by its namespaced or its exact name. */
export class ToolFilter {
  private readonly allow?: RegExp[];
  private readonly block: RegExp[];

  constructor(opts: { allow?: string[]; block?: string[] }) {
    this.allow = opts.allow?.map(globToRegExp);
    this.block = (opts.block ?? []).map(globToRegExp);
  }

  permits(...names: string[]): boolean {
    const hit = (res: RegExp[]) => res.some((re) => names.some((n) => re.test(n)));
    if (this.allow) return hit(this.allow);
    return !hit(this.block);
  }
}
