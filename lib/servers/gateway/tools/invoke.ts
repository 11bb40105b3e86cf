import { z } from "zod";
import { capOutput } from "../output-cap.ts";
import { validateArgs } from "../schema-validate.ts";
import { parseToolId } from "../types.ts";
import { refuseChangedTool } from "./changed-guard.ts";
import { failure, metaTool, reply, withoutArgs } from "./define.ts";
import { replyForError, withFeedbackHint } from "./errors.ts";

const DEFAULT_TIMEOUT_MS = 30_000;
/** Hard ceiling even while the downstream keeps reporting progress. */
const CEILING_MS = 600_000;
/** How often a long call tells the client it is still running (only when it asked for progress). */
const HEARTBEAT_MS = 5_000;

const input = z
  .object({
    tool_id: z.string(),
    arguments: z.record(z.string(), z.unknown()).optional(),
    options: z
      .object({
        timeout_ms: z.number().int().min(1000).max(300_000).optional(),
        max_output_chars: z.number().int().min(100).max(100_000).optional(),
        redact_secrets: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const invoke = metaTool({
  name: "invoke",
  title: "Invoke",
  description: "Call a tool_id with arguments.",
  input,
  listedInput: withoutArgs(input, ["options.redact_secrets"]),
  hints: ["openDestructive", { idempotentHint: false }],
  async handler(args, { core, extra }) {
    const id = parseToolId(args.tool_id);
    if (!id) return failure(`tool_id must look like "server::tool", got "${args.tool_id}"`);
    if (!core.policy.toolAllowed(id.server, id.tool)) {
      return failure(`${args.tool_id} is denied by policy`, { code: "policy_denied", tool_id: args.tool_id });
    }
    let started: Awaited<ReturnType<typeof core.ensureServer>>;
    try {
      started = await core.ensureServer(id.server);
    } catch (err) {
      return replyForError(err, { tool_id: args.tool_id });
    }
    const rec = started.records.find((r) => r.name === id.tool);
    if (!rec) {
      return failure(
        `no tool '${id.tool}' on server '${id.server}'; ${core.name("catalog_search")} lists tool ids`,
        {
          code: "unknown_tool",
          tool_id: args.tool_id,
        },
      );
    }
    const refused = refuseChangedTool(core, rec, args.tool_id);
    if (refused) return refused;
    const callArgs = args.arguments ?? {};
    const problems = validateArgs(rec.inputSchema, callArgs);
    if (problems.length) {
      return failure(
        `invalid arguments for ${args.tool_id} (not sent): ${problems.join("; ")}. ${core.name("describe")} shows the schema.`,
        { code: "invalid_arguments", tool_id: args.tool_id, problems },
      );
    }

    const timeoutMs = args.options?.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    const call = core.pending.begin(id.server, args.tool_id, timeoutMs);
    const relay = () => call.controller.abort(extra.mcpReq.signal.reason);
    extra.mcpReq.signal.addEventListener("abort", relay, { once: true });
    const token = extra.mcpReq._meta?.progressToken;
    let progress = 0;
    const notify = (message: string) => {
      if (token === undefined) return;
      void extra.mcpReq
        .notify({
          method: "notifications/progress",
          params: { progressToken: token, progress: ++progress, message },
        })
        .catch(() => {});
    };
    // Only a client that asked for progress hears the heartbeat; without a token no timer is made.
    const heartbeat =
      token === undefined
        ? undefined
        : setInterval(
            () => notify(`${args.tool_id} running ${Math.round((Date.now() - call.started) / 1000)}s`),
            HEARTBEAT_MS,
          );
    started.entry.invoked = true;
    try {
      const result = await started.entry.conn!.callTool(id.tool, callArgs, {
        timeoutMs,
        maxTotalTimeoutMs: CEILING_MS,
        signal: call.controller.signal,
        signalIsPerCall: true,
        onProgress: (p) => {
          call.lastActivity = Date.now();
          notify(p.message ?? `${args.tool_id}: ${p.progress}${p.total ? `/${p.total}` : ""}`);
        },
      });
      const limits = core.policy.limits;
      const capped = await capOutput(
        result,
        {
          maxBytes: Math.min(
            limits.max_output_bytes,
            args.options?.max_output_chars ?? Number.POSITIVE_INFINITY,
          ),
          maxTokens: limits.max_output_tokens,
        },
        (s) => core.redactor.redact(s),
        (v) => core.redactor.redactValue(v),
      );
      const ok = result.isError !== true;
      const data: Record<string, unknown> = { tool_id: args.tool_id, ok, truncated: capped.truncated };
      if (capped.truncated) data.raw_bytes = capped.rawBytes;
      if (capped.structured !== undefined) data.result = capped.structured;
      const content = capped.content.length
        ? capped.content
        : [{ type: "text", text: ok ? "(no output)" : "(error without message)" }];
      return reply({ data, content, isError: !ok });
    } catch (err) {
      if (call.controller.signal.aborted && !extra.mcpReq.signal.aborted) {
        const reason = call.controller.signal.reason;
        return failure(
          `call ${call.request_id} (${args.tool_id}) was cancelled: ${reason instanceof Error ? reason.message : "cancel requested"}`,
          {
            code: "cancelled",
            tool_id: args.tool_id,
            request_id: call.request_id,
          },
        );
      }
      return withFeedbackHint(
        replyForError(err, { tool_id: args.tool_id, request_id: call.request_id }),
        core,
      );
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      extra.mcpReq.signal.removeEventListener("abort", relay);
      core.pending.end(call);
    }
  },
});
