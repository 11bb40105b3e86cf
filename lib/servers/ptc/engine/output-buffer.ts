const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function clipUtf8(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}

/** Captured script output, capped in UTF-8 bytes; what does not fit is dropped and remembered. */
export class OutputBuffer {
  private parts: string[] = [];
  private bytes = 0;
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  append(text: string): void {
    if (this.truncated) return;
    const size = encoder.encode(text).length;
    if (this.bytes + size <= this.maxBytes) {
      this.parts.push(text);
      this.bytes += size;
      return;
    }
    this.parts.push(clipUtf8(text, this.maxBytes - this.bytes));
    this.bytes = this.maxBytes;
    this.truncated = true;
  }

  text(): string {
    return this.parts.join("");
  }
}
