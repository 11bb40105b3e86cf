/** Byte-level helpers that keep cuts on UTF-8 code-point boundaries. */

export function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1; // stray byte: treat as a unit of its own
}

const isContinuation = (b: number) => (b & 0xc0) === 0x80;

/** The largest end ≤ `end` such that `buf[0, end)` does not finish in the middle of a code point. */
export function safeEnd(buf: Uint8Array, end: number): number {
  if (end <= 0 || end > buf.length) return Math.max(0, Math.min(end, buf.length));
  let i = end - 1;
  while (i >= 0 && end - i < 4 && isContinuation(buf[i]!)) i--;
  if (i < 0 || isContinuation(buf[i]!)) return end;
  return end - i >= sequenceLength(buf[i]!) ? end : i;
}

/** The smallest start ≥ `start` that is not a continuation byte (at most 3 skipped). */
export function safeStart(buf: Uint8Array, start: number): number {
  let i = start;
  while (i < buf.length && i - start < 3 && isContinuation(buf[i]!)) i++;
  return i;
}
