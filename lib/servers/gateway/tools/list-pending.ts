import { z } from "zod";
import { PendingCalls } from "../pending.ts";
import { metaTool, reply, withoutArgs } from "./define.ts";

const input = z.object({ server: z.string().optional() }).strict();

export const listPending = metaTool({
  name: "list_pending",
  title: "Pending",
  description: "Invocations in flight.",
  input,
  listedInput: withoutArgs(input, ["server"]),
  hints: "read",
  async handler(args, { core }) {
    const now = Date.now();
    const requests = core.pending.list(args.server).map((c) => ({
      request_id: c.request_id,
      server_name: c.server,
      tool_id: c.tool_id,
      started_at_iso: new Date(c.started).toISOString(),
      elapsed_seconds: Math.round((now - c.started) / 100) / 10,
      timeout_ms: c.timeout_ms,
      state: PendingCalls.state(c, now),
    }));
    const text = requests.length
      ? requests.map((r) => `${r.request_id} ${r.tool_id} ${r.state} ${r.elapsed_seconds}s`).join("\n")
      : "no calls in flight";
    return reply({ data: { requests, total_pending: requests.length }, text });
  },
});
