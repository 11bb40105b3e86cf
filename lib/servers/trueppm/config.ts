import { unexpandedReference } from "../../core/env.ts";
import { ConfigError } from "../../core/errors.ts";
import { redactor } from "../../core/redact.ts";

const API_SUFFIX = "/api/v1";
const REDACTED_TOKEN = "<redacted>";
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * Turns an instance URL into the API base: trailing slashes dropped, `/api/v1` appended unless it is
 * already there, and a final `/` so relative paths (`projects/`) join under it.
 */
export function normaliseApiUrl(raw: string): string {
  let url = raw.trim().replace(/\/+$/, "");
  if (!url.toLowerCase().endsWith(API_SUFFIX)) url += API_SUFFIX;
  return `${url}/`;
}

/**
 * The connector's settings. The token sits in a private field: printing, inspecting or serialising
 * the object shows `<redacted>`; only `authorization()` hands it out, for the one header that needs it.
 */
export class TrueppmConfig {
  readonly apiBaseUrl: string;
  readonly #token: string;

  constructor(apiBaseUrl: string, token: string) {
    this.apiBaseUrl = apiBaseUrl;
    this.#token = token;
  }

  /** The value of the Authorization header. */
  authorization(): string {
    return `Bearer ${this.#token}`;
  }

  /** Replaces the token wherever it appears in `text` (a last line of defence for results). */
  scrub(text: string): string {
    return text.includes(this.#token) ? text.split(this.#token).join(REDACTED_TOKEN) : text;
  }

  /** True when `url` is on the API's origin, so sending the token there is safe. */
  isApiOrigin(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.apiBaseUrl).origin;
    } catch {
      return false;
    }
  }

  toString(): string {
    return `TrueppmConfig(apiBaseUrl=${JSON.stringify(this.apiBaseUrl)}, token=${REDACTED_TOKEN})`;
  }

  toJSON(): Record<string, string> {
    return { apiBaseUrl: this.apiBaseUrl, token: REDACTED_TOKEN };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

const URL_HINT = "the base URL of your TruePPM instance, e.g. https://ppm.example.com";
const TOKEN_HINT = "a personal TruePPM API token (tppm_…) with the 'mcp:read' scope";

/** Reads TRUEPPM_API_URL and TRUEPPM_API_TOKEN; blank counts as missing. Never echoes a value. */
export function loadConfig(env: Record<string, string | undefined>): TrueppmConfig {
  const url = env.TRUEPPM_API_URL?.trim() ?? "";
  const token = env.TRUEPPM_API_TOKEN?.trim() ?? "";
  // Register first, so even an error raised below cannot carry the token to stderr.
  redactor.addSecret(token);
  for (const [name, value] of [
    ["TRUEPPM_API_URL", url],
    ["TRUEPPM_API_TOKEN", token],
  ] as const) {
    const unexpanded = unexpandedReference(name, value);
    if (unexpanded) throw new ConfigError(`Configuration error: ${unexpanded}.`);
  }
  if (!url) throw new ConfigError(`Configuration error: TRUEPPM_API_URL is required (${URL_HINT}).`);
  if (!token) throw new ConfigError(`Configuration error: TRUEPPM_API_TOKEN is required (${TOKEN_HINT}).`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`Configuration error: TRUEPPM_API_URL is not a valid URL (${URL_HINT}).`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(`Configuration error: TRUEPPM_API_URL must start with http:// or https://.`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigError(
      "Configuration error: TRUEPPM_API_URL must not embed credentials; put the token in TRUEPPM_API_TOKEN.",
    );
  }
  if (parsed.search || parsed.hash) {
    throw new ConfigError("Configuration error: TRUEPPM_API_URL must not carry a query string or fragment.");
  }
  return new TrueppmConfig(normaliseApiUrl(url), token);
}
