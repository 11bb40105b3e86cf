import { z } from "zod";
import { toCard } from "../cards.ts";
import { defineTool, READ_ONLY } from "./define.ts";

export const catalogSearch = defineTool({
  verb: "catalog_search",
  title: "Search",
  description: "Search downstream tools.",
  input: z
    .object({
      query: z.string().optional(),
      filters: z
        .object({
          server: z.string().optional(),
          tags: z.array(z.string()).optional(),
          risk_max: z.enum(["low", "medium", "high"]).optional(),
        })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(100).optional(),
      include_offline: z.boolean().optional(),
    })
    .strict(),
  annotations: READ_ONLY,
  async run(args, core) {
    const limit = args.limit ?? 20;
    const includeOffline = args.include_offline ?? false;
    const found = core.catalog.search({
      query: args.query,
      server: args.filters?.server,
      tags: args.filters?.tags,
      riskMax: args.filters?.risk_max,
      limit,
      includeOffline,
      allowed: (s, t) => core.policy.toolAllowed(s, t),
    });
    const cards = found.results.map((r) => toCard(r, core.guidanceLayers.code_hints));
    const data: Record<string, unknown> = {
      results: cards,
      total_available: found.total,
      truncated: found.truncated,
    };
    // Servers that could answer but have not started yet: the agent can describe/invoke to start them.
    const notStarted = core.servers
      .all()
      .filter(
        (e) => !core.catalog.isLive(e.name) && (!includeOffline || !core.catalog.cachedTools(e.name).length),
      )
      .map((e) => e.name);
    if (notStarted.length) data.not_started = notStarted;
    if (includeOffline && args.query?.trim()) {
      data.manifest_candidates = core.manifest
        .search(args.query, 5)
        .filter(({ entry }) => !core.servers.get(entry.name) && core.policy.serverAllowed(entry.name))
        .slice(0, 3)
        .map(({ entry }) => ({
          name: entry.name,
          description: entry.description,
          requires_api_key: Boolean(entry.env_var),
          ...(entry.env_var
            ? { env_var: entry.env_var, api_key_available: core.envStore.has(entry.env_var) }
            : {}),
          provision_tool: core.name("provision"),
        }));
    }
    const lines = cards.map(
      (c) =>
        `${c.tool_id} [${c.risk_hint}${c.availability === "offline" ? ", offline" : ""}] ${c.short_description}`,
    );
    lines.push(
      `${cards.length} of ${found.total}${found.truncated ? " (more: raise limit)" : ""}. ${core.name("describe")}(tool_id) for the schema.`,
    );
    if (notStarted.length) lines.push(`Not started: ${notStarted.join(", ")} (describe/invoke starts them).`);
    const mc = data.manifest_candidates as Array<{ name: string }> | undefined;
    if (mc?.length) lines.push(`Provisionable: ${mc.map((m) => m.name).join(", ")}.`);
    return { data, text: lines.join("\n") };
  },
});
