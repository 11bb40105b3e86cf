import { appendFileSync, createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";

/**
 * `PTY_MCP_SESSION_LOG_DIR/<session_id>/`: transcript.log (raw output bytes) and events.jsonl (one JSON
 * object per event; input is logged by size only, never its content).
 */
export class SessionLog {
  private readonly dir: string;
  private readonly out: WriteStream;
  private closed = false;

  constructor(root: string, sessionId: string) {
    this.dir = join(root, sessionId);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.out = createWriteStream(join(this.dir, "transcript.log"), { flags: "a", mode: 0o600 });
    this.out.on("error", () => {});
  }

  transcript(data: Uint8Array): void {
    if (!this.closed) this.out.write(Buffer.from(data));
  }

  event(event: string, fields: Record<string, unknown> = {}): void {
    if (this.closed) return;
    try {
      appendFileSync(
        join(this.dir, "events.jsonl"),
        `${JSON.stringify({ ts: Date.now() / 1000, event, ...fields })}\n`,
        {
          mode: 0o600,
        },
      );
    } catch {}
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.end();
  }
}
