import { McpkitError } from "../../core/errors.ts";

/** Hints for the statuses the seed words exactly; the others are ours. */
export const STATUS_HINTS = {
  403: "Permission denied. This operation requires prompt ownership or admin / group-manager role.",
  404: "Prompt or resource not found. Verify prompt_id and PAT visibility.",
  409: "Conflict. Repository-backed prompt (edit the files at source) OR concurrent writer. Re-fetch and retry.",
  422: "Validation failed. Check prompt_text length (max 500k), test / metric shapes, and field types.",
} as const;

export const DETAIL_MAX_CHARS = 300;

/** A backend answer the agent should see as an actionable tool error. */
export class PtmApiError extends McpkitError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message, 1);
  }
}

/** A request stopped by Cloudflare Access; the message names the exact next step. */
export class CloudflareAccessError extends McpkitError {}

/** The backend could not be reached at all (connection refused, DNS, timeout, a port fetch blocks). */
export class PtmUnreachableError extends McpkitError {
  /** The cause alone ("ECONNREFUSED", "no answer within 30 s", …), for messages that add their own advice. */
  readonly reason: string;
  /** Set when fetch refuses the URL's port outright: retrying cannot help. */
  readonly blockedPort: string | undefined;
  constructor(message: string, reason = message, blockedPort?: string) {
    super(message, 1);
    this.reason = reason;
    this.blockedPort = blockedPort;
  }
}

/** Removes control characters and clips backend-supplied text so it is safe to show an agent. */
export function cleanDetail(text: string, max = DETAIL_MAX_CHARS): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The backend's `detail`, when the body is a JSON error envelope; HTML and other text are ignored. */
export function backendDetail(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const d = body.detail;
  if (typeof d === "string" && d.trim()) return cleanDetail(d);
  return undefined;
}

/** The first `errors[].loc` / `msg` pair of a 422 envelope, cleaned. */
function firstValidationError(body: unknown): string | undefined {
  if (!isRecord(body) || !Array.isArray(body.errors)) return undefined;
  const first = body.errors[0];
  if (!isRecord(first)) return undefined;
  const loc = Array.isArray(first.loc) ? first.loc.map(String).join(".") : undefined;
  const msg = typeof first.msg === "string" ? first.msg : undefined;
  if (!loc && !msg) return undefined;
  return cleanDetail(`${loc ?? "?"}: ${msg ?? "invalid"}`, 200);
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), if it parses. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value.trim());
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Builds the message an agent sees for a failed backend call: what happened and what to do, with the
 * backend's JSON `detail` (clipped, cleaned) after it. `body` is the parsed JSON or undefined.
 */
export function httpErrorMessage(status: number, body: unknown, retryAfter: string | null): string {
  let hint: string;
  if (status === 401) hint = "The PTM token was rejected: check PTM_API_TOKEN or mint a new one.";
  else if (status === 403) hint = STATUS_HINTS[403];
  else if (status === 404) hint = STATUS_HINTS[404];
  else if (status === 409) hint = STATUS_HINTS[409];
  else if (status === 422) {
    const first = firstValidationError(body);
    hint = `${STATUS_HINTS[422]}${first ? ` First error: ${first}.` : ""}`;
  } else if (status === 429) {
    const secs = retryAfterSeconds(retryAfter);
    hint = `PTM rate limit or agent budget reached: retry after ${secs ?? "a few"} seconds.`;
  } else if (status >= 500) hint = "The PTM backend failed: try again later.";
  else hint = "PTM refused the request: check the arguments.";
  const detail = backendDetail(body);
  return `${hint} (HTTP ${status})${detail ? ` Backend detail: ${detail}` : ""}`;
}
