import * as z from "zod";
import { encodeKeys } from "../keys.ts";
import type { PtySession } from "../session.ts";
import { ToolError } from "../tool-error.ts";
import type { ToolContext } from "./define.ts";

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

/**
 * Turns data + keys into bytes, refusing a dangerous command line typed into the terminal unless it
 * carries a confirmation token for exactly that line.
 */
export function encodeInput(
  ctx: ToolContext,
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
  // Only complete lines are screened: the shell acts on a line when Enter arrives.
  const lines = text.split(/[\r\n]/).slice(0, -1);
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
  return Buffer.from(text, "utf8");
}
