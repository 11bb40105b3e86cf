import { pidAlive, type StreamName } from "./process-backend.ts";
import type { PtySession } from "./session.ts";

/** Sends MCP progress notifications during a long wait, when the client asked for them. */
export type Progress = (elapsedMs: number, totalMs: number, message: string) => void;

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: Progress;
}

/**
 * Waits until `done()` holds, the child ended (`stopOnExit`), the timeout passes or the request is
 * cancelled. Wakes on data/exit events, not on a polling tick; emits progress at most once a second.
 */
export async function waitUntil(
  session: PtySession,
  done: () => boolean,
  opts: WaitOptions & { stopOnExit?: boolean },
): Promise<boolean> {
  const start = Date.now();
  const end = start + opts.timeoutMs;
  let lastProgress = start;
  for (;;) {
    if (done()) return true;
    if ((opts.stopOnExit ?? true) && !session.running) return done();
    const now = Date.now();
    if (now >= end || opts.signal?.aborted) return false;
    if (opts.progress && now - lastProgress >= 1000) {
      lastProgress = now;
      opts.progress(now - start, opts.timeoutMs, "waiting");
    }
    await session.waitForChange(Math.min(end - now, 1000), opts.signal);
  }
}

export function waitForOutput(session: PtySession, reader: string, stream: StreamName, opts: WaitOptions) {
  return waitUntil(session, () => session.pending(reader, stream) > 0, opts);
}

/**
 * Waits for output to go quiet: `quietMs` without new program output after some arrived (or after
 * unread output was already pending), or exit, or the timeout. With nothing at all, waits for the first
 * byte. On the pty stream the echo of typed input is not output: a command that echoes at once and
 * prints two seconds later is waited for. `since` ignores output before that history offset (the
 * output a write is waiting for starts at the write).
 */
export async function waitForQuiet(
  session: PtySession,
  reader: string,
  stream: StreamName,
  quietMs: number,
  opts: WaitOptions & { since?: number },
): Promise<void> {
  const start = Date.now();
  const end = start + opts.timeoutMs;
  let lastProgress = start;
  const pty = stream === "pty";
  for (;;) {
    const now = Date.now();
    if (!session.running || now >= end || opts.signal?.aborted) return;
    const seen = pty
      ? session.pendingOutput(reader, opts.since ?? 0) > 0
      : session.pending(reader, stream) > 0;
    const lastOut = Math.max(pty ? session.lastProgramOutputAt : session.lastOutputAt, start);
    if (seen && now - lastOut >= quietMs) {
      // The child may already be gone while its exit is still being drained: report the exit too.
      if (session.pid > 0 && !pidAlive(session.pid)) {
        await waitUntil(session, () => !session.running, {
          timeoutMs: Math.min(1000, Math.max(0, end - now)),
          signal: opts.signal,
          stopOnExit: false,
        });
      }
      return;
    }
    if (opts.progress && now - lastProgress >= 1000) {
      lastProgress = now;
      opts.progress(now - start, opts.timeoutMs, "waiting for output to settle");
    }
    const nextCheck = seen ? lastOut + quietMs - now : 1000;
    await session.waitForChange(Math.max(1, Math.min(end - now, nextCheck)), opts.signal);
  }
}
