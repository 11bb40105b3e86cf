import { z } from "zod";
import { toCard } from "../cards.ts";
import { metaTool, reply, withoutArgs } from "./define.ts";
import { unindexed, waitForIndexing, waitMsArg } from "./index-wait.ts";

const input = z
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
    wait_ms: waitMsArg,
  })
  .strict();

export const catalogSearch = metaTool({
  name: "catalog_search",
  title: "Search",
  description: "Search downstream tools.",
  input,
  listedInput: withoutArgs(input, ["wait_ms"]),
  hints: "read",
  async handler(args, { core, extra }) {
    const limit = args.limit ?? 20;
    const includeOffline = args.include_offline ?? false;
    // Servers still being indexed are waited for (bounded), so a first search finds their tools.
    const indexing = await waitForIndexing(core, extra, args.wait_ms);
    const found = core.catalog.search({
      query: args.query,
      server: args.filters?.server,
      tags: args.filters?.tags,
      riskMax: args.filters?.risk_max,
      limit,
      includeOffline,
      known: (s) => core.servers.get(s) !== undefined,
      allowed: (s, t) => core.policy.toolAllowed(s, t),
    });
    const running = (server: string) => {
      const e = core.servers.get(server);
      return e !== undefined && core.servers.isRunning(e);
    };
    const cards = found.results.map((r) =>
      toCard(r, core.guidanceLayers.code_hints, running(r.server) ? "online" : "offline"),
    );
    const data: Record<string, unknown> = {
      results: cards,
      total_available: found.total,
      truncated: found.truncated,
    };
    // What the answer may be missing: servers still indexing after the wait, servers with no known tools.
    if (indexing.length) data.indexing = indexing;
    const missing = unindexed(core).filter((u) => !indexing.includes(u.server));
    if (missing.length) data.not_indexed = missing;
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
        `${c.tool_id} [${c.risk_hint}${core.servers.get(c.server) ? "" : ", not configured"}${c.changed ? `, CHANGED ${c.changed.join("+")}` : ""}] ${c.short_description}`,
    );
    lines.push(
      `${cards.length} of ${found.total}${found.truncated ? " (more: raise limit)" : ""}. ${core.name("describe")}(tool_id) for the schema.`,
    );
    if (indexing.length) lines.push(`Still indexing: ${indexing.join(", ")} (search again in a moment).`);
    if (missing.length)
      lines.push(`No tools known from: ${missing.map((m) => `${m.server} (${m.reason})`).join("; ")}.`);
    const mc = data.manifest_candidates as Array<{ name: string }> | undefined;
    if (mc?.length) lines.push(`Provisionable: ${mc.map((m) => m.name).join(", ")}.`);
    return reply({ data, text: lines.join("\n") });
  },
});
