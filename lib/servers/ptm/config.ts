import { StartupError } from "../../core/errors.ts";
import type { LogLevel } from "../../core/log.ts";
import type { SettingValues } from "../../core/settings/declare.ts";
import { resolveServerConfig } from "../../core/settings/server-config.ts";
import { ptmCommand } from "./command.ts";
import type { PtmSettings } from "./settings.ts";

export { DEFAULT_BACKOFF_MS, DEFAULT_MAX_ROWS } from "./settings.ts";

/** Everything `mcpkit ptm` reads from its settings (settings.ts), validated once at start-up. */
export interface PtmConfig {
  /** PTM_API_BASE_URL without trailing slashes. */
  baseUrl: string;
  token: string;
  readOnly: boolean;
  timeoutMs: number;
  /** The shared log level as resolved (PTM_MCP_LOG_LEVEL is one of its variables), when one was set. */
  logLevel?: LogLevel;
  cloudflare: CloudflareConfig;
  /** Waits between /healthz attempts; 1-2-4-8-16 s unless PTM_MCP_PREFLIGHT_BACKOFF_MS (a testing aid) says otherwise. */
  preflightBackoffMs: number[];
  /** Most rows a list tool gathers across pages before it stops and reports truncation. */
  maxRows: number;
  /** --tools / PTM_MCP_TOOLS and --exclude-tools / PTM_MCP_EXCLUDE_TOOLS, comma-separated. */
  tools?: string;
  excludeTools?: string;
}

export interface CloudflareConfig {
  clientId?: string;
  clientSecret?: string;
  jwt?: string;
  autoDiscover: boolean;
}

/**
 * The connector's configuration from its resolved settings, with the one check that spans two of them
 * (the Cloudflare service-token pair); exits 1 naming the variable, like every ptm-mcp setting.
 */
export function ptmConfig(v: SettingValues<PtmSettings>, logLevel?: LogLevel): PtmConfig {
  if (Boolean(v.cfAccessClientId) !== Boolean(v.cfAccessClientSecret)) {
    throw new StartupError(
      `${v.cfAccessClientId ? "CF_ACCESS_CLIENT_SECRET" : "CF_ACCESS_CLIENT_ID"} is missing: set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET together, or neither`,
      1,
    );
  }
  return {
    baseUrl: v.baseUrl,
    token: v.token,
    readOnly: v.readOnly,
    timeoutMs: Math.round(v.timeoutSeconds * 1000),
    ...(logLevel ? { logLevel } : {}),
    cloudflare: {
      clientId: v.cfAccessClientId,
      clientSecret: v.cfAccessClientSecret,
      jwt: v.cfAccessJwt,
      autoDiscover: v.cfAutoDiscover,
    },
    preflightBackoffMs: v.preflightBackoffMs,
    maxRows: v.maxRows,
    ...(v.tools ? { tools: v.tools } : {}),
    ...(v.excludeTools ? { excludeTools: v.excludeTools } : {}),
  };
}

/**
 * Resolves the configuration from an environment alone (no flags), as `ptm-mcp` read it; throws
 * StartupError (exit 1) naming the first bad variable. The CLI resolves flags and variables itself and
 * hands the server `ctx.config`.
 */
export function loadConfig(env: Record<string, string | undefined>): PtmConfig {
  const { shared, config } = resolveServerConfig(ptmCommand, { env });
  return ptmConfig(config as SettingValues<PtmSettings>, shared.logLevel);
}
