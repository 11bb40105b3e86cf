import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import { exitFields } from "../status.ts";
import { waitForQuiet } from "../waits.ts";
import { ptyTool } from "./context.ts";
import { admitInput, writeInputShape } from "./input.ts";
import { readerKey, takeOutput } from "./output.ts";
import { describeExit } from "./read-until.ts";
import { DESTRUCTIVE, exitShape, maxChars, outputOptions, sessionRef } from "./schemas.ts";

export const ptyWrite = ptyTool({
  name: "pty_write",
  title: "Send input to a terminal",
  description:
    "Sends raw data and/or named keys (Enter, Ctrl+C, Up, Tab, …) to the session. With wait_ms, waits for the output to settle (or the process to exit) and returns that output and the state.",
  input: z
    .object({
      ...sessionRef,
      ...writeInputShape,
      wait_ms: z
        .number()
        .int()
        .min(0)
        .max(120_000)
        .nullish()
        .describe("Wait up to this long and return the output"),
      max_chars: maxChars,
      ...outputOptions,
    })
    .strict(),
  output: z.looseObject({ ok: z.boolean(), bytes: z.number(), ...exitShape }),
  hints: DESTRUCTIVE,
  async handler(a, ctx) {
    const s = ctx.session(a, "write", { lease: true });
    const bytes = admitInput(ctx, s, a);
    if (!Buffer.isBuffer(bytes)) return bytes;
    if (!s.running)
      throw new ToolError(`session has exited (${describeExit(s)}); cannot write. Spawn a new session.`);
    const since = s.rings.pty.totalOffset;
    const dropped = s.write(bytes);
    const base = { ok: true, bytes: bytes.length - dropped, input_dropped: dropped };
    if (!a.wait_ms) return structuredResult({ ...base, ...exitFields(s) }, "ok");
    const reader = readerKey(a.client_id);
    await waitForQuiet(s, reader, "pty", ctx.app.config.quiescenceMs, {
      since,
      timeoutMs: a.wait_ms,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    ctx.stopIfCancelled();
    const out = await takeOutput(ctx.app, s, reader, "pty", a.max_chars ?? ctx.app.config.maxChars, a);
    return structuredResult({
      ...base,
      output: out.text,
      output_omitted_bytes: out.omitted_bytes,
      remaining_bytes: out.remaining_bytes,
      ...exitFields(s),
    });
  },
});
