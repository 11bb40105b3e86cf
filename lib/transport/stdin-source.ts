import process from "node:process";

/** Most start-up input held before the transport attaches; a client that floods us earlier loses the rest. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/**
 * Reads stdin from the moment a stdio server command starts, not from the moment its transport
 * connects: a client that closes stdin while the server is still starting (loading, checking its
 * backend) must end the process then, and the messages it sent meanwhile must not be lost.
 */
export class StdinSource {
  /** Resolves when stdin reaches EOF, is closed, or fails. */
  readonly ended: Promise<void>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private consumer: ((chunk: Buffer) => void) | undefined;
  private isEnded = false;

  constructor(private readonly stream: NodeJS.ReadableStream = process.stdin) {
    this.ended = new Promise<void>((resolve) => {
      const done = () => {
        this.isEnded = true;
        resolve();
      };
      stream.once("end", done);
      stream.once("close", done);
      stream.once("error", done);
    });
    stream.on("data", this.onData);
  }

  get hasEnded(): boolean {
    return this.isEnded;
  }

  private readonly onData = (chunk: Buffer | string) => {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (this.consumer) return this.consumer(buf);
    if (this.pendingBytes + buf.length > MAX_PENDING_BYTES) return;
    this.pending.push(buf);
    this.pendingBytes += buf.length;
  };

  /** Hands every chunk read so far, then each new one, to `consumer`. */
  attach(consumer: (chunk: Buffer) => void): void {
    this.consumer = consumer;
    const held = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const chunk of held) consumer(chunk);
  }

  /** Stops delivering; stdin is paused so the process is not kept alive by it. */
  detach(): void {
    this.consumer = undefined;
    this.stream.off("data", this.onData);
    this.stream.pause();
  }
}
