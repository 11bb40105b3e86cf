import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import type { PtySession } from "../session.ts";
import { exitFields } from "../status.ts";
import { waitUntil } from "../waits.ts";
import { type PtyToolContext, ptyTool } from "./context.ts";
import { admitInput, writeInputShape } from "./input.ts";
import { readerKey, renderOutput } from "./output.ts";
import {
  CONSUMING,
  DESTRUCTIVE,
  exitShape,
  maxChars,
  outputOptions,
  sessionRef,
  timeoutMs,
} from "./schemas.ts";

interface Matcher {
  pattern: string;
  /** Index just past the match in `text`, or -1. */
  find(text: string): number;
}

function compile(patterns: string[], regex: boolean): Matcher[] {
  return patterns.map((pattern) => {
    if (!regex) {
      return {
        pattern,
        find: (t) => {
          const i = t.indexOf(pattern);
          return i < 0 ? -1 : i + pattern.length;
        },
      };
    }
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch (e) {
      throw new ToolError(`invalid regex pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    return {
      pattern,
      find: (t) => {
        const m = re.exec(t);
        return m ? m.index + m[0].length : -1;
      },
    };
  });
}

/**
 * Waits until one of `patterns` shows up in this reader's unread output (event-driven), then consumes
 * output up to the end of the match; on timeout consumes what arrived. Patterns are tried in list order.
 */
async function readUntil(
  ctx: PtyToolContext,
  s: PtySession,
  a: {
    client_id?: string | null;
    timeout_ms?: number | null;
    max_chars?: number | null;
    view?: "raw" | "text" | "screen" | null;
    max_tokens?: number | null;
    tail_lines?: number | null;
  },
  patterns: string[],
  regex: boolean,
) {
  const matchers = compile(patterns, regex);
  const reader = readerKey(a.client_id);
  const ring = s.rings.pty;
  const timeout = Math.min(a.timeout_ms ?? 10_000, ctx.app.config.readUntilMaxMs);
  let hit: { pattern: string; endByte: number } | null = null;
  let seenTotal = -1;
  let seenDecided = -1;
  // Patterns see the program's output only: the echo of typed input is left out (echo-filter.ts).
  const check = () => {
    if (ring.totalOffset === seenTotal && s.echo.decided === seenDecided) return false;
    seenTotal = ring.totalOffset;
    seenDecided = s.echo.decided;
    const view = s.matchView(s.cursor(reader, "pty"));
    for (const m of matchers) {
      const end = m.find(view.text);
      if (end >= 0) {
        hit = { pattern: m.pattern, endByte: view.ringOffset(Buffer.byteLength(view.text.slice(0, end))) };
        return true;
      }
    }
    return false;
  };
  await waitUntil(s, check, { timeoutMs: timeout, signal: ctx.signal, progress: ctx.progress });
  ctx.stopIfCancelled();
  const found = hit as { pattern: string; endByte: number } | null;
  const from = Math.max(s.cursor(reader, "pty"), ring.startOffset);
  const to = found ? found.endByte : ring.totalOffset;
  const all = ring.read(from, to - from, { allowPartialTail: !s.running });
  s.setCursor(reader, "pty", all.nextOffset);
  s.chunkId++;
  // Like pty-mcp, keep only the last max_chars bytes of what was collected (cut on a code point).
  const limit = a.max_chars ?? ctx.app.config.maxChars;
  let data = all.data;
  let omitted = 0;
  if (data.length > limit) {
    let cut = data.length - limit;
    while (cut < data.length && (data[cut]! & 0xc0) === 0x80) cut++;
    omitted = cut;
    data = data.subarray(cut);
  }
  const rendered = await renderOutput(ctx.app, s, data, a);
  return {
    matched: found !== null,
    pattern: found?.pattern ?? null,
    text: rendered.text,
    chunk_id: s.chunkId,
    stream: "pty",
    omitted_bytes: omitted + rendered.omitted_bytes,
    next_offset: all.nextOffset,
    dropped_bytes: all.skipped,
    ...exitFields(s),
  };
}

const untilOutput = z.looseObject({ matched: z.boolean(), text: z.string(), ...exitShape });
const common = {
  regex: z.boolean().default(false).describe("Treat patterns as JavaScript regular expressions"),
  timeout_ms: timeoutMs("default 10000, capped by PTY_MCP_READ_UNTIL_MAX_MS"),
  max_chars: maxChars,
  ...outputOptions,
};

export const ptyReadUntil = ptyTool({
  name: "pty_read_until",
  title: "Wait for a pattern",
  description:
    "Waits until the pattern appears in unread output and returns as soon as it does (no polling), consuming output up to the end of the match. matched=false after timeout_ms or when the process exits first.",
  input: z.object({ ...sessionRef, pattern: z.string(), ...common }).strict(),
  output: untilOutput,
  hints: CONSUMING,
  async handler(a, ctx) {
    if (!a.pattern) throw new ToolError("pattern is required");
    const s = ctx.session(a, "read", { lease: true });
    const r = await readUntil(ctx, s, a, [a.pattern], a.regex);
    const { pattern: _p, ...rest } = r;
    return structuredResult(rest);
  },
});

export const ptyReadUntilAny = ptyTool({
  name: "pty_read_until_any",
  title: "Wait for any of several patterns",
  description:
    "Like pty_read_until with several patterns; reports the first pattern in list order that matches.",
  input: z.object({ ...sessionRef, patterns: z.array(z.string()).max(100), ...common }).strict(),
  output: untilOutput,
  hints: CONSUMING,
  async handler(a, ctx) {
    if (a.patterns.length === 0 || a.patterns.some((p) => !p))
      throw new ToolError("patterns must be a non-empty list of non-empty strings");
    const s = ctx.session(a, "read", { lease: true });
    return structuredResult(await readUntil(ctx, s, a, a.patterns, a.regex));
  },
});

export const ptyPrompt = ptyTool({
  name: "pty_prompt",
  title: "Send input and wait for a prompt",
  description:
    "Writes data (or named keys) and then waits for any of the patterns, like pty_write followed by pty_read_until_any.",
  input: z
    .object({ ...sessionRef, ...writeInputShape, patterns: z.array(z.string()).min(1).max(100), ...common })
    .strict(),
  output: untilOutput,
  hints: DESTRUCTIVE,
  async handler(a, ctx) {
    if (a.patterns.some((p) => !p)) throw new ToolError("patterns must be non-empty strings");
    const s = ctx.session(a, "write", { lease: true });
    const bytes = admitInput(ctx, s, a);
    if (!Buffer.isBuffer(bytes)) return bytes;
    if (!s.running) throw new ToolError(`session has exited (${describeExit(s)}); cannot write`);
    s.write(bytes);
    return structuredResult(await readUntil(ctx, s, a, a.patterns, a.regex));
  },
});

export function describeExit(s: PtySession): string {
  if (!s.exit) return "running";
  return s.exit.signal ? `killed by ${s.exit.signal}` : `exit code ${s.exit.exitCode}`;
}
