import { unexpandedReference } from "../../core/env.ts";
import { StartupError } from "../../core/errors.ts";
import { type LogLevel, parseLogLevel } from "../../core/log.ts";

/** Everything `mcpkit ptm` reads from its environment, validated once at start-up. */
export interface PtmConfig {
  /** PTM_API_BASE_URL without trailing slashes. */
  baseUrl: string;
  token: string;
  readOnly: boolean;
  timeoutMs: number;
  /** Set only when PTM_MCP_LOG_LEVEL is given; otherwise the CLI's --log-level applies. */
  logLevel?: LogLevel;
  cloudflare: CloudflareConfig;
  /** Waits between /healthz attempts; 1-2-4-8-16 s unless PTM_MCP_PREFLIGHT_BACKOFF_MS (a testing aid) says otherwise. */
  preflightBackoffMs: number[];
  /** Most rows a list tool gathers across pages before it stops and reports truncation. */
  maxRows: number;
}

export interface CloudflareConfig {
  clientId?: string;
  clientSecret?: string;
  jwt?: string;
  autoDiscover: boolean;
}

export const DEFAULT_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];
export const DEFAULT_MAX_ROWS = 500;

/** The contract says a missing or malformed variable exits 1 with one line naming it (never its value). */
function fail(message: string): never {
  throw new StartupError(message, 1);
}

function read(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function parseBool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const v = read(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return fail(`${name} must be true or false (also 1/0, yes/no, on/off)`);
}

function parseBaseUrl(env: Record<string, string | undefined>): string {
  const raw = read(env, "PTM_API_BASE_URL");
  if (!raw)
    return fail("PTM_API_BASE_URL is required: set it to your PTM backend, e.g. https://ptm.example.com");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("PTM_API_BASE_URL is not a valid URL: use the form https://ptm.example.com");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    fail("PTM_API_BASE_URL must start with http:// or https://");
  if (url.username || url.password)
    fail("PTM_API_BASE_URL must not carry credentials; put the token in PTM_API_TOKEN");
  return raw.replace(/\/+$/, "");
}

function parseTimeout(env: Record<string, string | undefined>): number {
  const raw = read(env, "PTM_MCP_TIMEOUT_SECONDS");
  if (raw === undefined) return 30_000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 600)
    fail("PTM_MCP_TIMEOUT_SECONDS must be a number of seconds from 1 to 600");
  return Math.round(n * 1000);
}

const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

function parsePtmLogLevel(env: Record<string, string | undefined>): LogLevel | undefined {
  const raw = read(env, "PTM_MCP_LOG_LEVEL");
  if (raw === undefined) return undefined;
  if (!LOG_LEVELS.includes(raw.toUpperCase()))
    fail(`PTM_MCP_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  return parseLogLevel(raw);
}

function parseBackoff(env: Record<string, string | undefined>): number[] {
  const raw = read(env, "PTM_MCP_PREFLIGHT_BACKOFF_MS");
  if (raw === undefined) return DEFAULT_BACKOFF_MS;
  const waits = raw.split(",").map((s) => Number(s.trim()));
  if (waits.length === 0 || waits.some((n) => !Number.isInteger(n) || n < 0 || n > 60_000))
    fail("PTM_MCP_PREFLIGHT_BACKOFF_MS must be a comma-separated list of waits in ms (0-60000 each)");
  return waits;
}

function parseMaxRows(env: Record<string, string | undefined>): number {
  const raw = read(env, "PTM_MCP_MAX_ROWS");
  if (raw === undefined) return DEFAULT_MAX_ROWS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    fail("PTM_MCP_MAX_ROWS must be an integer from 1 to 10000");
  return n;
}

function parseCloudflare(env: Record<string, string | undefined>): CloudflareConfig {
  const clientId = read(env, "CF_ACCESS_CLIENT_ID");
  const clientSecret = read(env, "CF_ACCESS_CLIENT_SECRET");
  if (Boolean(clientId) !== Boolean(clientSecret))
    fail(
      `${clientId ? "CF_ACCESS_CLIENT_SECRET" : "CF_ACCESS_CLIENT_ID"} is missing: set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET together, or neither`,
    );
  return {
    clientId,
    clientSecret,
    jwt: read(env, "CF_ACCESS_JWT"),
    autoDiscover: parseBool(env, "PTM_CF_AUTO_DISCOVER", true),
  };
}

/** Parses and validates the environment; throws StartupError(exit 1) naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): PtmConfig {
  for (const name of ["PTM_API_BASE_URL", "PTM_API_TOKEN"]) {
    const unexpanded = unexpandedReference(name, env[name]);
    if (unexpanded) fail(unexpanded);
  }
  const baseUrl = parseBaseUrl(env);
  const token = read(env, "PTM_API_TOKEN");
  if (!token)
    fail(
      "PTM_API_TOKEN is required: set it to a PTM personal access token (ptm_u_…) or a service-account token",
    );
  return {
    baseUrl,
    token,
    readOnly: parseBool(env, "PTM_MCP_READ_ONLY", true),
    timeoutMs: parseTimeout(env),
    logLevel: parsePtmLogLevel(env),
    cloudflare: parseCloudflare(env),
    preflightBackoffMs: parseBackoff(env),
    maxRows: parseMaxRows(env),
  };
}
