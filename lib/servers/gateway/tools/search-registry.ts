import { z } from "zod";
import { failure, metaTool, reply, withoutArgs } from "./define.ts";

const input = z
  .object({ query: z.string().min(1), limit: z.number().int().min(1).max(20).optional() })
  .strict();

export const searchRegistry = metaTool({
  name: "search_registry",
  title: "Registry",
  description: "Search the MCP Registry.",
  input,
  listedInput: withoutArgs(input, ["limit"]),
  hints: "openRead",
  async handler(args, { core }) {
    try {
      const { results, stale, cached } = await core.registry.search(args.query, args.limit ?? 5);
      const data = {
        query: args.query,
        results,
        ...(stale ? { stale: true } : {}),
        cached,
        next_step: `${core.name("register_discovered_server")}(package, server_name), then ${core.name("provision")}`,
      };
      const lines = results.map((r) => `${r.name}${r.package ? ` (${r.package})` : ""}: ${r.description}`);
      if (!results.length) lines.push(`no registry server matches "${args.query}"`);
      if (stale) lines.push("(registry unreachable: showing the cached list)");
      return reply({ data, text: lines.join("\n") });
    } catch (err) {
      return failure((err as Error).message, { query: args.query, code: "registry_unreachable" });
    }
  },
});
