import {
  acceptedContent,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
} from "@modelcontextprotocol/server";
import * as z from "zod";
import { ToolError } from "../../../core/tools/define-tool.ts";
import type { PtyToolContext } from "./context.ts";

/** The key of our one embedded question in `inputRequests` / `inputResponses`. */
const QUESTION = "confirm_dangerous_command";
const ANSWER = z.object({ confirm: z.boolean() });
const REQUESTED_SCHEMA = {
  type: "object" as const,
  properties: {
    confirm: {
      type: "boolean" as const,
      title: "Run it",
      description: "Tick to let the command run once; leave unticked or decline to refuse it.",
    },
  },
  required: ["confirm"],
};

/** True when the client can show a person a form (`elicitation: {}` is form mode, as in 2025). */
export function canAskHuman(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  if (!elicitation || typeof elicitation !== "object") return false;
  return "form" in elicitation || !("url" in elicitation);
}

export interface DangerousCommand {
  /** The command line (or the typed lines, one per line) exactly as it will run. */
  command: string;
  matches: string[];
  owner: string | null;
  scope: string;
  justification?: string | null;
  /** Set when the command is typed into a running session rather than spawned. */
  sessionId?: string;
}

function question(ctx: PtyToolContext, c: DangerousCommand): string {
  const where = c.sessionId
    ? `type a dangerous command into terminal session ${c.sessionId}`
    : "run a dangerous command";
  const lines = [`${ctx.call.name} wants to ${where}:`, "", c.command, ""];
  for (const m of c.matches) lines.push(`Matched: ${ctx.app.detector.describe(m)}`);
  if (c.justification?.trim()) lines.push(`Justification: ${c.justification.trim()}`);
  lines.push(`Owner: ${c.owner ?? "(none)"}, scope: ${c.scope}`, "", "Allow it to run once?");
  return lines.join("\n");
}

/**
 * Asks the person at the client to allow a dangerous command, when the client can show a form:
 * returns `"confirmed"` once they accepted exactly this command, an input request to send them the
 * question, or `undefined` when the client cannot ask (the token flow applies). Throws when they declined.
 *
 * The question goes out as `input_required` (2026-07-28; the SDK's legacy shim turns it into an
 * `elicitation/create` request on 2025-era connections). Its `requestState` is a single-use,
 * TTL-bound token bound to the command, owner and scope, so an answer counts only for the question
 * this server asked, only once, and never for another command. Policy checks (owner, scope, lease)
 * run before this on every round: an answer never overrides them.
 */
export function askHuman(
  ctx: PtyToolContext,
  command: DangerousCommand,
): "confirmed" | InputRequiredResult | undefined {
  if (!canAskHuman(ctx.call.clientCapabilities)) return undefined;
  const req = ctx.call.request.mcpReq;
  const state = req.requestState();
  const answer = inputResponse(req.inputResponses, QUESTION);
  if (typeof state === "string" && answer.kind !== "missing") {
    const err = ctx.app.humanConfirmations.consume(state, command.command, command.owner, command.scope);
    if (err) {
      throw new ToolError(
        `the confirmation of this dangerous command expired or does not match it; call ${ctx.call.name} again to be asked again`,
      );
    }
    if (answer.kind === "elicit" && answer.action === "accept") {
      if (acceptedContent(req.inputResponses, QUESTION, ANSWER)?.confirm === true) return "confirmed";
      throw new ToolError("dangerous command not confirmed: the user did not tick 'Run it'; it was not run");
    }
    const what = answer.kind === "elicit" && answer.action === "cancel" ? "dismissed" : "declined";
    throw new ToolError(`dangerous command ${what} by the user; it was not run`);
  }
  const { token } = ctx.app.humanConfirmations.issue(command.command, command.owner, command.scope);
  return inputRequired({
    inputRequests: {
      [QUESTION]: inputRequired.elicit({
        message: question(ctx, command),
        requestedSchema: REQUESTED_SCHEMA,
      }),
    },
    requestState: token,
  });
}
