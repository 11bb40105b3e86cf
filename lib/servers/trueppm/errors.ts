import { blockedPortAdvice } from "../../core/fetch-failure.ts";

/**
 * Errors the TruePPM API can cause. Their messages are the original connector's interface strings,
 * so agents and scripts that match on them keep working; `hint` says what to do next.
 */
export class TrueppmApiError extends Error {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly hint: string | undefined;
  constructor(message: string, status: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.hint = hint;
  }
}

/** The API answered 401: the configured token does not authenticate. */
export class TokenRejectedError extends TrueppmApiError {}

/**
 * The suffix built from a 401/403 body's refusal envelope (`{"refusal": {"reason", "constraint"}}`):
 * ` — policy refusal (capability_scope)`, ` — identity refusal`, or "" when there is none. Total: any
 * body that is not the expected shape gives "".
 */
export function refusalSuffix(body: unknown): string {
  if (!body || typeof body !== "object" || Array.isArray(body)) return "";
  const refusal = (body as Record<string, unknown>).refusal;
  if (!refusal || typeof refusal !== "object" || Array.isArray(refusal)) return "";
  const { reason, constraint } = refusal as Record<string, unknown>;
  if (typeof reason !== "string" || !reason.trim()) return "";
  const safe = (s: string) => s.replace(/[^\w .:-]/g, "").slice(0, 64);
  const c = typeof constraint === "string" && constraint.trim() ? ` (${safe(constraint)})` : "";
  return ` — ${safe(reason)} refusal${c}`;
}

function hintFor(status: number, suffix: string): string | undefined {
  if (status === 401)
    return "Mint a fresh token with the mcp:read scope, set TRUEPPM_API_TOKEN, and restart.";
  if (status === 404)
    return "The resource does not exist or this token may not read it (the API answers both the same way); check the id with a list_ tool.";
  if (status === 403 && suffix.includes("policy"))
    return "An administrator has switched MCP access off for this instance, program or project; other projects may still answer.";
  if (status === 403) return "The token's role does not permit this read.";
  if (status === 429) return "The API throttles requests per token; wait about a minute, then retry.";
  if (status === 400) return "The API rejected the parameters; check them against the tool's input schema.";
  if (status >= 500) return "The TruePPM server failed; retry later or ask its operator.";
  return undefined;
}

export function tokenRejected(body: unknown): TokenRejectedError {
  const suffix = refusalSuffix(body);
  return new TokenRejectedError(
    `The TruePPM API rejected the configured token (HTTP 401)${suffix}.`,
    401,
    hintFor(401, suffix),
  );
}

export function unexpectedResponse(path: string, status: number, body: unknown): TrueppmApiError {
  const suffix = status === 401 || status === 403 ? refusalSuffix(body) : "";
  return new TrueppmApiError(
    `Unexpected response from ${path}: HTTP ${status}${suffix}.`,
    status,
    hintFor(status, suffix),
  );
}

export function notJson(path: string, status: number): TrueppmApiError {
  return new TrueppmApiError(
    `Unexpected response from ${path}: HTTP ${status} — the body is not JSON.`,
    status,
    "Check that TRUEPPM_API_URL points at the TruePPM instance itself, not a login page or proxy.",
  );
}

export function unreachable(path: string, reason: string): TrueppmApiError {
  return new TrueppmApiError(
    `Could not reach the TruePPM API for ${path}: ${reason}.`,
    0,
    "Check TRUEPPM_API_URL and that the instance is up and reachable from this machine.",
  );
}

/** fetch refused the URL's port outright (a Fetch-standard "bad port"): the URL must change. */
export function blockedPortError(path: string, port: string): TrueppmApiError {
  return new TrueppmApiError(
    `Could not reach the TruePPM API for ${path}: port ${port} is blocked by fetch.`,
    0,
    `${blockedPortAdvice("TRUEPPM_API_URL", port)}.`,
  );
}

export function foreignOrigin(url: string): TrueppmApiError {
  return new TrueppmApiError(
    `Refusing to request ${url}: it is not on the configured TruePPM API origin, and the token must not leave it.`,
    0,
  );
}

export function tooLarge(path: string, status: number, maxBytes: number): TrueppmApiError {
  return new TrueppmApiError(
    `Unexpected response from ${path}: HTTP ${status} — the body is larger than ${Math.round(maxBytes / 1024)} KiB.`,
    status,
    "Narrow the request (for example with list_tasks filters) or ask the instance's operator.",
  );
}
