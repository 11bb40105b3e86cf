import { errorMessage, StartupError } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import { CloudflareAccessError, PtmUnreachableError } from "./errors.ts";
import type { PtmHttpClient } from "./http-client.ts";

/** The oldest backend with the MCP middleware chokepoint (agent-scoped limits), per the seed. */
export const MIN_BACKEND_VERSION = "1.9.0";

/** Exit codes, one per failed layer (seed). */
export const EXIT = { ok: 0, unhandled: 1, unreachable: 2, auth: 3, version: 4, interrupted: 130 } as const;

const TRANSIENT_STATUS = new Set([502, 503, 504]);

export interface PreflightResult {
  identity: Record<string, unknown>;
  backendVersion: string;
}

/** Parses `1.10.2`, `v1.9.0`, `1.9.0-rc.1`; undefined when it is not a version at all. */
export function parseVersion(v: unknown): { parts: [number, number, number]; pre: boolean } | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return undefined;
  return { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: Boolean(m[4]) };
}

/** True when `version` is at least `min` (a pre-release of `min` itself counts as older). */
export function versionAtLeast(version: string, min: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(min);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) {
    if (a.parts[i]! !== b.parts[i]!) return a.parts[i]! > b.parts[i]!;
  }
  return !a.pre || b.pre;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const BASE_URL_ADVICE = "check PTM_API_BASE_URL and that the backend is up";

/**
 * One /healthz request: undefined when healthy, else what went wrong that may pass with time (connection
 * errors, timeouts, 502/503/504). Anything that cannot (another status, a port fetch refuses, Cloudflare
 * Access) throws StartupError at once.
 */
async function probeHealth(
  client: PtmHttpClient,
  signal?: AbortSignal,
): Promise<{ problem: string } | undefined> {
  try {
    const res = await client.send({ method: "GET", path: "/healthz", auth: false, signal });
    if (res.status >= 200 && res.status < 300) return undefined;
    if (!TRANSIENT_STATUS.has(res.status))
      throw new StartupError(
        `PTM /healthz answered HTTP ${res.status}: check that PTM_API_BASE_URL points at the PTM backend`,
        EXIT.unreachable,
      );
    return { problem: `HTTP ${res.status}` };
  } catch (err) {
    if (err instanceof CloudflareAccessError)
      throw new StartupError(`CloudflareAccessError: ${err.message}`, EXIT.auth);
    if (!(err instanceof PtmUnreachableError)) throw err;
    // A port fetch refuses is a wrong URL, not a backend that is still starting: say so at once.
    if (err.blockedPort) throw new StartupError(err.message.replace(/\.$/, ""), EXIT.unreachable);
    return { problem: err.reason };
  }
}

async function waitForHealthy(
  client: PtmHttpClient,
  backoffMs: number[],
  log: Logger,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const budget = backoffMs.reduce((a, b) => a + b, 0) / 1000;
  for (let attempt = 0; ; attempt++) {
    const failed = await probeHealth(client);
    if (!failed) return;
    const wait = backoffMs[attempt];
    if (wait === undefined)
      throw new StartupError(
        `PTM /healthz at ${client.baseUrl} still unreachable after ${budget} s of retries (${failed.problem}); ${BASE_URL_ADVICE}`,
        EXIT.unreachable,
      );
    log.warn(`PTM /healthz not ready (${failed.problem}); retrying in ${wait / 1000} s`);
    await sleep(wait);
  }
}

/** /auth/me then /meta, after /healthz answered. */
async function checkTokenAndVersion(client: PtmHttpClient, signal?: AbortSignal): Promise<PreflightResult> {
  const step = async (path: string, auth: boolean, code: number) => {
    try {
      return await client.send({ method: "GET", path, auth, signal });
    } catch (err) {
      if (err instanceof CloudflareAccessError)
        throw new StartupError(`CloudflareAccessError: ${err.message}`, EXIT.auth);
      // The backend went away after /healthz answered: that is still "unreachable".
      if (err instanceof PtmUnreachableError)
        throw new StartupError(`PTM ${path} failed: ${err.message}`, EXIT.unreachable);
      throw new StartupError(`PTM ${path} failed: ${errorMessage(err)}`, code);
    }
  };

  const me = await step("/auth/me", true, EXIT.auth);
  if (me.status === 401 || me.status === 403)
    throw new StartupError(
      `PTM rejected PTM_API_TOKEN (GET /auth/me answered HTTP ${me.status}): check the token, its scopes and expiry, or mint a new one`,
      EXIT.auth,
    );
  if (me.status < 200 || me.status >= 300 || typeof me.json !== "object" || me.json === null)
    throw new StartupError(`PTM /auth/me answered HTTP ${me.status} without an identity`, EXIT.auth);

  const meta = await step("/meta", false, EXIT.version);
  const version = (meta.json as { version?: unknown } | undefined)?.version;
  if (meta.status < 200 || meta.status >= 300 || typeof version !== "string" || !parseVersion(version))
    throw new StartupError(
      `PTM /meta did not report a parseable version (HTTP ${meta.status}); ptm-mcp needs PTM ${MIN_BACKEND_VERSION} or newer`,
      EXIT.version,
    );
  if (!versionAtLeast(version, MIN_BACKEND_VERSION))
    throw new StartupError(
      `PTM backend ${version.slice(0, 40)} is older than ${MIN_BACKEND_VERSION}, the oldest ptm-mcp supports (agent-scoped limits); upgrade the backend`,
      EXIT.version,
    );
  return { identity: me.json as Record<string, unknown>, backendVersion: version };
}

/**
 * The original's start-up checks in the seed's order, as `mcpkit ptm check` runs them: /healthz (with
 * backoff on transient failures) → exit 2, /auth/me → exit 3, /meta version → exit 4. Resolves with the
 * identity and backend version; throws StartupError carrying the exit code.
 */
export async function runPreflight(
  client: PtmHttpClient,
  opts: { backoffMs: number[]; log: Logger; sleep?: (ms: number) => Promise<void> },
): Promise<PreflightResult> {
  await waitForHealthy(client, opts.backoffMs, opts.log, opts.sleep ?? defaultSleep);
  const result = await checkTokenAndVersion(client);
  opts.log.info(`PTM ${result.backendVersion} ready at ${client.baseUrl}`);
  return result;
}

/**
 * One pass of the same checks without waiting between attempts (/healthz once), for the server, which
 * answers the handshake at once and retries in the background. Throws StartupError with the same
 * messages (and exit codes) the preflight uses.
 */
export async function checkBackendOnce(
  client: PtmHttpClient,
  signal?: AbortSignal,
): Promise<PreflightResult> {
  const failed = await probeHealth(client, signal);
  if (failed)
    throw new StartupError(
      `PTM /healthz at ${client.baseUrl} is not answering (${failed.problem}); ${BASE_URL_ADVICE}`,
      EXIT.unreachable,
    );
  return checkTokenAndVersion(client, signal);
}
