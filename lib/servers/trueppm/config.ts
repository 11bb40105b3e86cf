import type { SettingValues } from "../../core/settings/declare.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { trueppmCommand } from "./command.ts";
import type { TrueppmSettings } from "./settings.ts";

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

/** The connector's settings object from its resolved settings (settings.ts). */
export function trueppmConfig(v: SettingValues<TrueppmSettings>): TrueppmConfig {
  return new TrueppmConfig(normaliseApiUrl(v.apiUrl), v.token);
}

/**
 * Resolves TRUEPPM_API_URL and TRUEPPM_API_TOKEN from an environment alone; blank counts as missing.
 * Throws ConfigError (`Configuration error: …`) naming the variable, never echoing a value.
 */
export function loadConfig(env: Record<string, string | undefined>): TrueppmConfig {
  return trueppmConfig(serverSettings({ env }, trueppmCommand));
}
