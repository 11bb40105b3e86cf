import MiniSearch from "minisearch";
import type { CallableTool } from "./types.ts";

/** Splits `mcp__github__search_issues` and `searchIssues` into words. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function paramText(schema: Record<string, unknown>): string {
  const props = (schema.properties ?? {}) as Record<string, { description?: string }>;
  return Object.entries(props)
    .map(([k, v]) => `${k} ${typeof v?.description === "string" ? v.description : ""}`)
    .join(" ");
}

/**
 * Ranks tools by relevance to a query (BM25 via MiniSearch over the name, the description and the parameter
 * names and descriptions; prefix and light fuzzy matching). Tools that match nothing are left out.
 */
export function rankTools(tools: CallableTool[], query: string): string[] {
  const index = new MiniSearch<{
    id: string;
    name: string;
    server: string;
    description: string;
    params: string;
  }>({
    fields: ["name", "server", "description", "params"],
    tokenize: words,
    searchOptions: {
      boost: { name: 3, server: 2, params: 1.5 },
      prefix: true,
      fuzzy: 0.2,
      combineWith: "OR",
    },
  });
  index.addAll(
    tools.map((t) => ({
      id: t.name,
      name: t.tool,
      server: t.server,
      description: t.description,
      params: paramText(t.inputSchema),
    })),
  );
  return index.search(query).map((r) => String(r.id));
}
