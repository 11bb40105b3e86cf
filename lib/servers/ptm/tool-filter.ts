import { ConfigError } from "../../core/errors.ts";

function names(value: unknown): string[] | undefined {
  if (typeof value !== "string" || !value.trim()) return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Applies --tools / --exclude-tools (or PTM_MCP_TOOLS / PTM_MCP_EXCLUDE_TOOLS): keep only the listed
 * tools, then drop the excluded ones. An unknown name is a ConfigError so a typo cannot silently
 * expose more (or fewer) tools than intended.
 */
export function selectTools<T extends { name: string }>(
  all: readonly T[],
  include: unknown,
  exclude: unknown,
): readonly T[] {
  const known = new Set(all.map((t) => t.name));
  const wanted = names(include);
  const dropped = names(exclude) ?? [];
  for (const [flag, list] of [
    ["--tools (PTM_MCP_TOOLS)", wanted ?? []],
    ["--exclude-tools (PTM_MCP_EXCLUDE_TOOLS)", dropped],
  ] as const) {
    const unknown = list.filter((n) => !known.has(n));
    if (unknown.length)
      throw new ConfigError(
        `${flag}: unknown tool ${unknown.map((n) => `'${n}'`).join(", ")}; known tools: ${[...known].join(", ")}`,
      );
  }
  return all.filter((t) => (wanted ? wanted.includes(t.name) : true) && !dropped.includes(t.name));
}
