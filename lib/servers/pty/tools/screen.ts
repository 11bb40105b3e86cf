import * as z from "zod";
import { structuredResult } from "../../../core/tools/define-tool.ts";
import { exitFields } from "../status.ts";
import { ptyTool } from "./context.ts";
import { exitShape, READ, sessionRef } from "./schemas.ts";

export const ptyScreen = ptyTool({
  name: "pty_screen",
  title: "Rendered terminal screen",
  description:
    "The screen as a terminal would show it (via a headless xterm): visible lines, cursor position, whether a full-screen program switched to the alternate screen, and optionally the last N scrollback lines. Use it for TUIs (less, vi, top, installers). Does not move read cursors.",
  input: z
    .object({
      ...sessionRef,
      scrollback: z
        .number()
        .int()
        .min(0)
        .max(10_000)
        .default(0)
        .describe("Also return up to N lines above the screen"),
    })
    .strict(),
  output: z.looseObject({
    lines: z.array(z.string()),
    cursor: z.object({ x: z.number(), y: z.number() }),
    alternate_screen: z.boolean(),
    cols: z.number(),
    rows: z.number(),
    ...exitShape,
  }),
  hints: READ,
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    const screen = await ctx.app.manager.screen(s);
    const snap = await screen.snapshot(a.scrollback);
    const body = [...snap.lines];
    while (body.length > 0 && body[body.length - 1] === "") body.pop();
    return structuredResult({ ...snap, ...exitFields(s) }, body.join("\n"));
  },
});
