import * as z from "zod";
import { ToolError } from "../../../core/tools/define-tool.ts";
import { encodeKeys } from "../keys.ts";
import type { PtySession } from "../session.ts";
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
    .describe("Token from confirm_dangerous_command, when a typed line matches a dangerous pattern"),
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
 * carries a confirmation token for exactly that line.
 */
export function encodeInput(
  ctx: PtyToolContext,
  s: PtySession,
  a: { data?: string | null; keys?: string[] | null; dangerous_confirm_token?: string | null },
): Buffer {
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
  const lines = parts.slice(0, -1).map(afterLineKill);
  for (const line of lines) {
    const matches = ctx.app.detector.matches(line);
    if (matches.length === 0) continue;
    if (!a.dangerous_confirm_token) {
      throw new ToolError(
        `dangerous command detected in input; confirmation token required (confirm_dangerous_command with command ${JSON.stringify(line.trim())}, then pass dangerous_confirm_token)`,
      );
    }
    const err = ctx.app.tokens.consume(a.dangerous_confirm_token, line, s.meta.owner, s.meta.scope);
    if (err) throw new ToolError(err);
  }
  pendingLine.set(s, afterLineKill(parts.at(-1) ?? "").slice(-PENDING_MAX));
  return Buffer.from(text, "utf8");
}
