/** The only characters a dynamic id may use in a path or resource URI (seed). */
export const SEGMENT_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/** True for an id that may be placed in a URL path: allow-listed characters, and not `.` or `..`. */
export function isSafeSegment(value: string): boolean {
  return SEGMENT_PATTERN.test(value) && value !== "." && value !== "..";
}

/** Substitutes `{name}` placeholders with encoded values; throws when a value is not a safe segment. */
export function fillPath(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const raw = values[name];
    const value = typeof raw === "number" ? String(raw) : raw;
    if (typeof value !== "string" || !isSafeSegment(value)) throw new UnsafeSegmentError(name);
    return encodeURIComponent(value);
  });
}

export class UnsafeSegmentError extends Error {
  constructor(readonly segment: string) {
    super(`${segment} must match ^[a-zA-Z0-9_.-]+$ and must not be "." or "..": nothing was sent to PTM`);
    this.name = "UnsafeSegmentError";
  }
}
