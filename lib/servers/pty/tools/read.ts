import * as z from "zod";
import { structuredResult } from "../../../core/tools/define-tool.ts";
import type { StreamName } from "../process-backend.ts";
import { exitFields } from "../status.ts";
import { waitForOutput } from "../waits.ts";
import { ptyTool } from "./context.ts";
import { readerKey, renderOutput, takeOutput } from "./output.ts";
import {
  CONSUMING,
  format,
  maxChars,
  outputOptions,
  READ,
  readOutput,
  sessionRef,
  streamParam,
  timeoutMs,
} from "./schemas.ts";

const readInput = z
  .object({
    ...sessionRef,
    max_chars: maxChars,
    timeout_ms: timeoutMs("wait for the first byte; default: the session's read_timeout_ms, 300"),
    format,
    ...outputOptions,
  })
  .strict();

function readTool(name: string, stream: StreamName, title: string, description: string) {
  return ptyTool({
    name,
    title,
    description,
    input: readInput,
    output: readOutput,
    hints: CONSUMING,
    async handler(a, ctx) {
      const s = ctx.session(a, "read", { lease: true });
      const reader = readerKey(a.client_id);
      await waitForOutput(s, reader, stream, {
        timeoutMs: a.timeout_ms ?? s.limits.read_timeout_ms,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.stopIfCancelled();
      const out = await takeOutput(ctx.app, s, reader, stream, a.max_chars ?? ctx.app.config.maxChars, a);
      const structured = {
        text: out.text,
        stream,
        chunk_id: s.chunkId,
        timestamp: Date.now() / 1000,
        offset: out.offset,
        next_offset: out.next_offset,
        dropped_bytes: out.dropped_bytes,
        omitted_bytes: out.omitted_bytes,
        remaining_bytes: out.remaining_bytes,
        ...exitFields(s),
      };
      const text =
        a.format === "json"
          ? JSON.stringify({ chunk_id: s.chunkId, stream, text: out.text, timestamp: structured.timestamp })
          : out.text;
      return structuredResult(structured, text);
    },
  });
}

export const ptyRead = readTool(
  "pty_read",
  "pty",
  "Read terminal output",
  "Returns output this caller has not read yet (waiting up to timeout_ms for the first byte) and moves the caller's cursor past it. History is kept: pty_read_at can re-read any held offset. view=text strips ANSI; view=screen renders the screen.",
);
export const ptyReadStdout = readTool(
  "pty_read_stdout",
  "stdout",
  "Read stdout",
  "Like pty_read, for the stdout pipe of a session spawned with separate_streams=true.",
);
export const ptyReadStderr = readTool(
  "pty_read_stderr",
  "stderr",
  "Read stderr",
  "Like pty_read, for the stderr pipe of a session spawned with separate_streams=true.",
);

export const ptyReadAt = ptyTool({
  name: "pty_read_at",
  title: "Read output at an offset",
  description:
    "Non-destructive read from an absolute byte offset of a stream's history; moves no cursor. truncated=true means the offset was older than the history held (output starts at the oldest byte kept; dropped_bytes says how much was lost).",
  input: z
    .object({
      ...sessionRef,
      offset: z.number().int().min(0).default(0),
      max_chars: maxChars,
      stream: streamParam.describe("pty (default), stdout or stderr"),
      ...outputOptions,
    })
    .strict(),
  output: z.looseObject({ truncated: z.boolean(), text: z.string(), next_offset: z.number() }),
  hints: READ,
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    const stream = (a.stream ?? "pty") as StreamName;
    const slice = s.rings[stream].read(a.offset, a.max_chars ?? ctx.app.config.maxChars, {
      allowPartialTail: !s.running,
    });
    s.chunkId++;
    const rendered = await renderOutput(ctx.app, s, slice.data, a);
    return structuredResult({
      truncated: slice.skipped > 0,
      text: rendered.text,
      offset: slice.offset,
      next_offset: slice.nextOffset,
      dropped_bytes: slice.skipped,
      omitted_bytes: rendered.omitted_bytes,
      start_offset: s.rings[stream].startOffset,
      total_offset: s.rings[stream].totalOffset,
      chunk_id: s.chunkId,
      stream,
      timestamp: Date.now() / 1000,
      ...exitFields(s),
    });
  },
});
