import * as z from "zod";
import { structuredResult } from "../../../core/tools/define-tool.ts";
import { exitFields } from "../status.ts";
import { waitForQuiet } from "../waits.ts";
import { ptyTool } from "./context.ts";
import { readerKey, takeOutput } from "./output.ts";
import { CONSUMING, format, maxChars, outputOptions, readOutput, sessionRef, timeoutMs } from "./schemas.ts";

export const ptyReadQuiescent = ptyTool({
  name: "pty_read_quiescent",
  title: "Read until output settles",
  description:
    "Waits until the output has been quiet for quiescence_ms (or the process exits, or timeout_ms passes) and returns the unread output.",
  input: z
    .object({
      ...sessionRef,
      quiescence_ms: z
        .number()
        .int()
        .min(1)
        .max(600_000)
        .nullish()
        .describe("Silence window (default PTY_MCP_QUIESCENCE_MS=300)"),
      timeout_ms: timeoutMs("default 10000"),
      max_chars: maxChars,
      format,
      ...outputOptions,
    })
    .strict(),
  output: readOutput,
  hints: CONSUMING,
  async handler(a, ctx) {
    const s = ctx.session(a, "read", { lease: true });
    const reader = readerKey(a.client_id);
    await waitForQuiet(s, reader, "pty", a.quiescence_ms ?? ctx.app.config.quiescenceMs, {
      timeoutMs: a.timeout_ms ?? 10_000,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    ctx.stopIfCancelled();
    const out = await takeOutput(ctx.app, s, reader, "pty", a.max_chars ?? ctx.app.config.maxChars, a);
    const structured = {
      text: out.text,
      stream: "pty",
      chunk_id: s.chunkId,
      timestamp: Date.now() / 1000,
      next_offset: out.next_offset,
      dropped_bytes: out.dropped_bytes,
      omitted_bytes: out.omitted_bytes,
      remaining_bytes: out.remaining_bytes,
      ...exitFields(s),
    };
    const text =
      a.format === "json"
        ? JSON.stringify({
            chunk_id: s.chunkId,
            stream: "pty",
            text: out.text,
            timestamp: structured.timestamp,
          })
        : out.text;
    return structuredResult(structured, text);
  },
});
