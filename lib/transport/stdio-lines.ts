import process from "node:process";
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/server";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/server";
import type { StdinSource } from "./stdin-source.ts";

/** Longest stdin line kept (the SDK's own limit); a longer one is dropped, not fatal. */
export const STDIO_MAX_LINE_BYTES = 10 * 1024 * 1024;

/**
 * Splits stdin into lines without re-copying what it already holds (the SDK's buffer concatenates on
 * every chunk, quadratic for a long line) and drops a line longer than `max` up to its newline.
 */
export class LineBuffer {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = 0;
  private readonly lines: string[] = [];

  constructor(
    private readonly max: number,
    private readonly onDrop: (bytes: number) => void,
  ) {}

  append(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
    this.take(chunk.subarray(start));
  }

  /** The next complete line, or undefined. */
  next(): string | undefined {
    return this.lines.shift();
  }

  clear(): void {
    this.parts = [];
    this.size = 0;
    this.dropping = 0;
    this.lines.length = 0;
  }

  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.dropping > 0) {
      this.dropping += part.length;
      return;
    }
    if (this.size + part.length > this.max) {
      this.dropping = this.size + part.length;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  private endLine(): void {
    if (this.dropping > 0) this.onDrop(this.dropping);
    else this.lines.push(Buffer.concat(this.parts, this.size).toString("utf8").replace(/\r$/, ""));
    this.parts = [];
    this.size = 0;
    this.dropping = 0;
  }
}

/**
 * The stdio server transport: newline-delimited JSON-RPC on stdin/stdout, like the SDK's, except that
 * an oversized line is dropped and reported through onerror instead of closing the session.
 */
export class StdioLineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private started = false;
  private markClosed!: () => void;
  /** Resolves once the transport closed (whoever set onclose). */
  readonly closed = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });
  private readonly buffer = new LineBuffer(STDIO_MAX_LINE_BYTES, (bytes) =>
    this.onerror?.(
      new Error(`dropped a ${bytes}-byte stdin line: over the ${STDIO_MAX_LINE_BYTES}-byte limit`),
    ),
  );

  constructor(
    private readonly stdin: StdinSource,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
  ) {}

  private readonly onData = (chunk: Buffer) => {
    this.buffer.append(chunk);
    for (let line = this.buffer.next(); line !== undefined; line = this.buffer.next()) {
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch (err) {
        this.onerror?.(err as Error);
        continue;
      }
      this.onmessage?.(message);
    }
  };

  async start(): Promise<void> {
    if (this.started) throw new Error("StdioLineTransport already started");
    this.started = true;
    this.stdin.attach(this.onData);
  }

  async close(): Promise<void> {
    this.stdin.detach();
    this.buffer.clear();
    this.markClosed();
    this.onclose?.();
  }

  /** Senders waiting for stdout to drain; one `drain` listener serves them all. */
  private draining: Array<() => void> = [];
  private readonly drained = () => {
    const waiting = this.draining;
    this.draining = [];
    for (const resolve of waiting) resolve();
  };

  send(message: JSONRPCMessage): Promise<void> {
    if (this.stdout.write(serializeMessage(message))) return Promise.resolve();
    // A client that reads slowly while we answer fast: wait for the pipe without piling up a listener
    // per message (Node warns past ten, on stderr, which clients show as errors).
    return new Promise((resolve) => {
      if (this.draining.push(resolve) === 1) this.stdout.once("drain", this.drained);
    });
  }
}
