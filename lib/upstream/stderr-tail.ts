/**
 * Keeps the last few kilobytes of a child's stderr so connect and crash errors can quote it,
 * without inheriting the child's stderr into ours (stdout/stderr of a stdio server are protocol and logs).
 */
export class StderrTail {
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly maxChars = 8192) {}

  push(chunk: string | Uint8Array): void {
    const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    if (!text) return;
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxChars && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
    if (this.size > this.maxChars) {
      this.chunks = [this.chunks[0]!.slice(-this.maxChars)];
      this.size = this.chunks[0]!.length;
    }
  }

  text(): string {
    return this.chunks.join("");
  }

  /** The last non-empty lines, joined for a one-line error message. */
  lastLines(count = 3): string {
    const lines = this.text()
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    return lines.slice(-count).join(" | ");
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}
