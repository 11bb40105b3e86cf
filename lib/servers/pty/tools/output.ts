import { toPlainText } from "../ansi-text.ts";
import { limitTokens, tailLines } from "../output-budget.ts";
import type { StreamName } from "../process-backend.ts";
import type { PtyApp } from "../pty-app.ts";
import type { PtySession } from "../session.ts";

export interface OutputOptions {
  view?: "raw" | "text" | "screen" | null;
  max_tokens?: number | null;
  tail_lines?: number | null;
}

/** The cursor key of a caller: each client_id reads at its own pace; anonymous callers share one. */
export function readerKey(clientId: string | null | undefined): string {
  return clientId ?? "";
}

/** Renders bytes for the caller: raw text, plain text, or the rendered screen; then applies budgets. */
export async function renderOutput(
  app: PtyApp,
  session: PtySession,
  data: Buffer,
  opts: OutputOptions,
): Promise<{ text: string; omitted_bytes: number }> {
  let text: string;
  if (opts.view === "screen") {
    const screen = await app.manager.screen(session);
    const snap = await screen.snapshot();
    const lines = [...snap.lines];
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    text = lines.join("\n");
  } else {
    text = data.toString("utf8");
    if (opts.view === "text") text = toPlainText(text);
  }
  let omitted = 0;
  if (opts.tail_lines) {
    const r = tailLines(text, opts.tail_lines);
    text = r.text;
    omitted += r.omitted_bytes;
  }
  if (opts.max_tokens) {
    const r = await limitTokens(text, opts.max_tokens);
    text = r.text;
    omitted += r.omitted_bytes;
  }
  return { text, omitted_bytes: omitted };
}

/** Reads (and consumes) what this reader has not seen yet, rendered for the caller. */
export async function takeOutput(
  app: PtyApp,
  session: PtySession,
  reader: string,
  stream: StreamName,
  maxBytes: number,
  opts: OutputOptions,
) {
  const slice = session.readCursor(reader, stream, maxBytes, true);
  const rendered = await renderOutput(app, session, slice.data, opts);
  return {
    text: rendered.text,
    omitted_bytes: rendered.omitted_bytes,
    offset: slice.offset,
    next_offset: slice.nextOffset,
    dropped_bytes: slice.skipped,
    remaining_bytes: session.pending(reader, stream),
  };
}
