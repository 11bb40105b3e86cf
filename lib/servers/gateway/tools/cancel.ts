import { z } from "zod";
import { PendingCalls } from "../pending.ts";
import { metaTool, reply } from "./define.ts";

const input = z.object({ request_id: z.string(), force: z.boolean().optional() }).strict();

export const cancel = metaTool({
  name: "cancel",
  title: "Cancel",
  description: "Cancel an in-flight request.",
  input,
  hints: "destructive",
  async handler(args, { core }) {
    const call = core.pending.get(args.request_id);
    if (!call) {
      const data = {
        request_id: args.request_id,
        status: "not_found",
        message: "no such call in flight (finished or never existed)",
      };
      return reply({ data, text: data.message });
    }
    const state = PendingCalls.state(call);
    const elapsed = Math.round((Date.now() - call.started) / 100) / 10;
    if (!args.force && state !== "stalled" && state !== "timeout") {
      const data = {
        request_id: args.request_id,
        status: "refused",
        message: `call is ${state}, not stalled; pass force:true to cancel it anyway`,
        elapsed_seconds: elapsed,
      };
      return reply({ data, text: data.message });
    }
    // Aborting the call's signal makes the client send notifications/cancelled downstream.
    call.controller.abort(new Error("cancelled by gateway cancel"));
    const data = {
      request_id: args.request_id,
      status: "cancelled",
      message: `cancelled ${call.tool_id}; the downstream server was notified`,
      was_stalled: state === "stalled",
      elapsed_seconds: elapsed,
    };
    return reply({ data, text: data.message });
  },
});
