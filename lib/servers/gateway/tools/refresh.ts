import { z } from "zod";
import { defineTool } from "./define.ts";

export const refresh = defineTool({
  verb: "refresh",
  title: "Refresh",
  description: "Reload config, diff-based.",
  input: z
    .object({
      source: z.enum(["claude_config", "custom"]).optional(),
      reason: z.string().optional(),
      force: z.boolean().optional(),
    })
    .strict(),
  unlisted: ["source", "reason"],
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, core) {
    if (args.reason) core.log.info("refresh requested", { reason: args.reason });
    const data = await core.refresh(args.force ?? false);
    if (data.ok === false) return { data, text: String(data.error), isError: true };
    const text = `refreshed: +${(data.added as string[]).length} -${(data.removed as string[]).length} ~${(data.changed as string[]).length}, ${data.servers_seen} servers`;
    return { data, text };
  },
});
