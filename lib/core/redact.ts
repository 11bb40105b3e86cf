/**
 * Removes secrets from text before it reaches a log, an error or a tool result: every value registered
 * with `addSecret`, plus strings shaped like well-known tokens.
 */
const TOKEN_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{30,}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export const REDACTED = "[REDACTED]";

export class Redactor {
  private secrets = new Set<string>();
  /** The secrets longest first, so a secret that contains another is removed whole; kept sorted on add. */
  private longestFirst: string[] = [];
  private extra: RegExp[] = [];

  /** Registers a literal secret; values shorter than 4 characters are ignored (too many false hits). */
  addSecret(value: string | undefined | null): void {
    if (!value || value.length < 4 || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  addPattern(pattern: RegExp): void {
    this.extra.push(pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`));
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.longestFirst) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    // No per-call arrays: this runs on every log line and every gateway invoke result.
    return replacePatterns(replacePatterns(out, TOKEN_PATTERNS), this.extra);
  }

  /** Deep-redacts string values of a JSON-like value. */
  redactValue<T>(value: T): T {
    return mapStrings(value, (s) => this.redact(s));
  }
}

function replacePatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const re of patterns) {
    re.lastIndex = 0;
    out = out.replace(re, (m) =>
      /^(bearer|basic)\s/i.test(m) ? `${m.split(/\s+/)[0]} ${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** Copies a JSON-like value with every string (at any depth, keys excepted) passed through `fn`. */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === "string") return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
    return out as T;
  }
  return value;
}

/** The process-wide redactor the logger and error paths share. */
export const redactor = new Redactor();
