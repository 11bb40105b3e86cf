import type { InputRequiredResult } from "@modelcontextprotocol/server";
import * as z from "zod";
import { ToolError } from "../../../core/tools/define-tool.ts";
import { encodeKeys } from "../keys.ts";
import type { PtySession } from "../session.ts";
import { askHuman } from "./ask-human.ts";
import type { PtyToolContext } from "./context.ts";

export const writeInputShape = {
  data: z
    .string()
    .max(1_048_576)
    .nullish()
    .describe('Text to send as-is ("\\r" or "\\n" for Enter, "\\u0003" for Ctrl-C)'),
  keys: z
    .array(z.string().min(1))
    .max(256)
    .nullish()
    .describe(
      'Named keys sent after data, e.g. ["Enter"], ["Ctrl+C"], ["Up","Enter"], ["Tab"], ["Escape",":","q","Enter"]',
    ),
  dangerous_confirm_token: z
    .string()
    .nullish()
    .describe(
      "Token from confirm_dangerous_command, when a typed line matches a dangerous pattern (not needed when the client lets the user allow it)",
    ),
};

/** What each session has typed since its last Enter (the shell's line being edited). */
const pendingLine = new WeakMap<PtySession, string>();
const PENDING_MAX = 8192;

/** The part of a line after its last Ctrl-C or Ctrl-U, which discard what came before. */
function afterLineKill(line: string): string {
  const cut = Math.max(line.lastIndexOf("\u0003"), line.lastIndexOf("\u0015"));
  return cut >= 0 ? line.slice(cut + 1) : line;
}

/**
 * Turns data + keys into bytes, refusing a dangerous command line typed into the terminal unless it
 * carries a confirmation token for exactly that line or the user allowed it (elicitation; then the
 * result is the question to send them, and nothing is written until the call comes back answered).
 */
export function admitInput(
  ctx: PtyToolContext,
  s: PtySession,
  a: { data?: string | null; keys?: string[] | null; dangerous_confirm_token?: string | null },
): Buffer | InputRequiredResult {
  if ((a.data === undefined || a.data === null) && !a.keys?.length) {
    throw new ToolError("nothing to write: pass data and/or keys");
  }
  let text = a.data ?? "";
  if (a.keys?.length) {
    try {
      text += encodeKeys(a.keys);
    } catch (e) {
      throw new ToolError((e as Error).message);
    }
  }
  // Only complete lines are screened: the shell acts on a line when Enter arrives. The unfinished tail
  // of earlier writes counts too, so a line split across writes ("rm -rf " then "/\r") is screened whole.
  const parts = `${pendingLine.get(s) ?? ""}${text}`.split(/[\r\n]/);
  const flagged = parts
    .slice(0, -1)
    .map(afterLineKill)
    .map((line) => ({ line, matches: ctx.app.detector.matches(line) }))
    .filter((l) => l.matches.length > 0);
  if (flagged.length > 0) {
    const matches = [...new Set(flagged.flatMap((l) => l.matches))];
    let mode: "token" | "elicitation";
    if (a.dangerous_confirm_token) {
      for (const { line } of flagged) {
        const err = ctx.app.tokens.consume(a.dangerous_confirm_token, line, s.meta.owner, s.meta.scope);
        if (err) throw new ToolError(err);
      }
      mode = "token";
    } else {
      const asked = askHuman(ctx, {
        command: flagged.map((l) => l.line.trim()).join("\n"),
        matches,
        owner: s.meta.owner,
        scope: s.meta.scope,
        sessionId: s.id,
      });
      if (asked === undefined) {
        throw new ToolError(
          `dangerous command detected in input; confirmation token required (confirm_dangerous_command with command ${JSON.stringify(flagged[0]!.line.trim())}, then pass dangerous_confirm_token)`,
        );
      }
      if (asked !== "confirmed") return asked;
      mode = "elicitation";
    }
    // What was allowed and how; never the typed text itself (input is logged by size only).
    s.log?.event("dangerous_input", { dangerous_matches: matches, confirmation_mode: mode });
  }
  pendingLine.set(s, afterLineKill(parts.at(-1) ?? "").slice(-PENDING_MAX));
  return Buffer.from(text, "utf8");
}
