import { z } from "zod";
import { resolveCapability } from "../capability.ts";
import { toolId } from "../types.ts";
import { metaTool, reply } from "./define.ts";

const input = z.object({ query: z.string().min(1), available_clis: z.array(z.string()).optional() }).strict();

export const requestCapability = metaTool({
  name: "request_capability",
  title: "Capability",
  description: "Find a server or CLI.",
  input,
  hints: "read",
  async handler(args, { core }) {
    const data = resolveCapability(args.query, {
      manifest: core.manifest,
      configured: core.servers.all().map((e) => ({ name: e.name, running: core.servers.isRunning(e) })),
      availableClis: args.available_clis ?? core.environment?.clis ?? [],
      pathVar: args.available_clis ? "" : core.opts.ctx.env.PATH,
      allowed: (s) => core.policy.serverAllowed(s),
      hasKey: (v) => core.envStore.has(v),
      liveToolHits: (q) =>
        core.catalog
          .search({
            query: q,
            limit: 3,
            includeOffline: false,
            allowed: (s, t) => core.policy.toolAllowed(s, t),
          })
          .results.map((r) => toolId(r.server, r.name)),
    });
    const c = data.candidates as Array<{ name: string }> | undefined;
    const text = [
      `status: ${data.status}`,
      ...(c ? [`candidates: ${c.map((x) => x.name).join(", ")}`] : []),
      ...(["recommendation", "message", "search_guidance"] as const)
        .filter((k) => data[k])
        .map((k) => String(data[k])),
    ].join("\n");
    return reply({ data, text });
  },
});
