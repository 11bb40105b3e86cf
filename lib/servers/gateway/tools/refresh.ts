import { z } from "zod";
import { metaTool, reply, withoutArgs } from "./define.ts";

const input = z
  .object({
    source: z.enum(["claude_config", "custom"]).optional(),
    reason: z.string().optional(),
    force: z.boolean().optional(),
    // Ours: accept changed tool definitions (true = all, or tool ids / server names).
    accept_changes: z.union([z.boolean(), z.array(z.string().min(1))]).optional(),
  })
  .strict();

export const refresh = metaTool({
  name: "refresh",
  title: "Refresh",
  description: "Reload config, diff-based.",
  input,
  listedInput: withoutArgs(input, ["source", "reason", "accept_changes"]),
  hints: "idempotentWrite",
  async handler(args, { core }) {
    if (args.reason) core.log.info("refresh requested", { reason: args.reason });
    const accept = args.accept_changes;
    const accepted =
      accept === true || (Array.isArray(accept) && accept.length) ? core.acceptChanges(accept) : undefined;
    const data = await core.refresh(args.force ?? false);
    if (accepted) data.accepted_changes = accepted;
    const acceptedText = accepted ? `; accepted ${accepted.length} changed tool(s)` : "";
    if (data.ok === false)
      return reply({ data, text: `${String(data.error)}${acceptedText}`, isError: true });
    const text = `refreshed: +${(data.added as string[]).length} -${(data.removed as string[]).length} ~${(data.changed as string[]).length}, ${data.servers_seen} servers${acceptedText}`;
    return reply({ data, text });
  },
});
