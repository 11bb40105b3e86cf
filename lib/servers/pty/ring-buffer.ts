import { safeEnd, safeStart, sequenceLength } from "./utf8.ts";

export interface RingSlice {
  data: Buffer;
  /** Absolute offset of the first returned byte (later than asked for when history was dropped). */
  offset: number;
  nextOffset: number;
  /** Bytes between the asked-for offset and the first byte still held (lost to overflow). */
  skipped: number;
}

/**
 * Append-only output history with absolute byte offsets. Readers keep their own cursors; reading never
 * removes anything. When the capacity is exceeded the oldest bytes are dropped (on a code-point
 * boundary) and counted in `droppedBytes`.
 */
export class RingBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Absolute offset of the first byte still held. */
  startOffset = 0;
  droppedBytes = 0;

  constructor(private capacity: number) {}

  get totalOffset(): number {
    return this.startOffset + this.held;
  }

  get size(): number {
    return this.held;
  }

  get limit(): number {
    return this.capacity;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(Buffer.from(chunk));
    this.held += chunk.length;
    this.trim();
  }

  setCapacity(capacity: number): void {
    this.capacity = capacity;
    this.trim();
  }

  /** Bytes from `offset` (clamped into what is held), at most `maxBytes`, never ending mid code point. */
  read(offset: number, maxBytes: number, opts: { allowPartialTail?: boolean } = {}): RingSlice {
    const from = Math.min(Math.max(offset, this.startOffset), this.totalOffset);
    const skipped = Math.max(0, this.startOffset - offset);
    const avail = this.totalOffset - from;
    if (avail <= 0 || maxBytes <= 0)
      return { data: Buffer.alloc(0), offset: from, nextOffset: from, skipped };
    const want = Math.min(avail, maxBytes);
    let end = want;
    let raw = this.slice(from, from + want);
    if (!(from + want === this.totalOffset && opts.allowPartialTail)) {
      end = safeEnd(raw, want);
      if (end === 0) {
        // maxBytes is smaller than one code point: hand the whole code point out rather than stall.
        const len = sequenceLength(raw[0]!);
        if (avail >= len) {
          raw = this.slice(from, from + len);
          end = len;
        }
      }
    }
    return { data: Buffer.from(raw.subarray(0, end)), offset: from, nextOffset: from + end, skipped };
  }

  /** Copies absolute range [from, to) out of the held chunks. */
  private slice(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let pos = this.startOffset;
    for (const c of this.chunks) {
      const cEnd = pos + c.length;
      if (cEnd > from && pos < to)
        parts.push(c.subarray(Math.max(0, from - pos), Math.min(c.length, to - pos)));
      if (cEnd >= to) break;
      pos = cEnd;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private trim(): void {
    let excess = this.held - this.capacity;
    while (excess > 0 && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      if (first.length <= excess) {
        this.chunks.shift();
        this.drop(first.length);
        excess -= first.length;
        continue;
      }
      // Cut inside the first chunk, then step past continuation bytes so history starts on a code point.
      const cut = safeStart(first, excess);
      this.chunks[0] = first.subarray(cut);
      this.drop(cut);
      excess = 0;
    }
    // A cut exactly at a chunk boundary may still leave continuation bytes at the front.
    const head = this.chunks[0];
    if (head && head.length > 0 && (head[0]! & 0xc0) === 0x80) {
      const cut = safeStart(head, 0);
      this.chunks[0] = head.subarray(cut);
      this.drop(cut);
      if (this.chunks[0]!.length === 0) this.chunks.shift();
    }
  }

  private drop(n: number): void {
    this.held -= n;
    this.startOffset += n;
    this.droppedBytes += n;
  }
}
