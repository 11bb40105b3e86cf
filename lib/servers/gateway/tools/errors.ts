import type { CallToolResult } from "@modelcontextprotocol/server";
import { errorMessage } from "../../../core/errors.ts";
import { UpstreamError } from "../../../upstream/index.ts";
import { GatewayError } from "../server-table.ts";
import { failure } from "./define.ts";

/** Maps a failure to a result the agent can act on; never throws. */
export function replyForError(err: unknown, extra: Record<string, unknown> = {}): CallToolResult {
  if (err instanceof GatewayError) return failure(err.message, { code: err.code, ...err.extra, ...extra });
  if (err instanceof UpstreamError) {
    const hint =
      err.kind === "closed"
        ? " The server is being restarted; retry the call."
        : err.kind === "connect"
          ? " Check the server's command, arguments and environment (gateway health shows its last error)."
          : "";
    return failure(`${err.message}.${hint}`.replace(/\.\./g, "."), {
      code: err.kind,
      server: err.server,
      ...extra,
    });
  }
  return failure(errorMessage(err), { code: "error", ...extra });
}

/** Failure codes that point at a misbehaving server or gateway rather than at the call's input. */
const REPORTABLE = new Set(["protocol", "error"]);

/**
 * PMCP's feedback hint: a failure nobody can fix by changing the call names the tool that drafts an
 * issue. Off with `enable_telemetry: false` (`pmcp guidance --telemetry off`).
 */
export function withFeedbackHint(
  result: CallToolResult,
  core: { telemetry: boolean; name(verb: string): string },
): CallToolResult {
  const data = result.structuredContent as Record<string, unknown> | undefined;
  if (!core.telemetry || !result.isError || !data || !REPORTABLE.has(String(data.code))) return result;
  data.feedback_hint = `If this keeps happening, ${core.name("submit_feedback")} drafts an issue report (pmcp guidance --telemetry off hides this hint).`;
  return result;
}
