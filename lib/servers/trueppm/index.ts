import type { ServerApp, ServerContext } from "../../core/app.ts";
import { BackendGate } from "../../core/backend-gate.ts";
import { StartupError } from "../../core/errors.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { trueppmCommand } from "./command.ts";
import { trueppmConfig } from "./config.ts";
import { TokenRejectedError, TrueppmApiError } from "./errors.ts";
import { createHttpClient, type TrueppmHttpClient } from "./http-client.ts";
import { createTrueppmServer, trueppmRegistry } from "./server.ts";

/** Exit codes of a failed boot check (2 stays the configuration error). */
export const EXIT_TOKEN_REJECTED = 3;
export const EXIT_API_UNAVAILABLE = 4;

/** Background retries of the boot check after a failure; the last wait repeats. */
const RETRY_MS = [1000, 2000, 4000, 8000, 16_000, 30_000, 60_000];

/**
 * The boot check: `GET auth/me/` once. Throws StartupError with one actionable line (what failed, what
 * to do) and the exit code `mcpkit trueppm check` uses: 3 for a rejected token, 4 for an API that cannot
 * be reached or answers wrongly.
 */
export async function bootCheck(api: TrueppmHttpClient): Promise<void> {
  try {
    await api.get("auth/me/");
  } catch (err) {
    if (!(err instanceof TrueppmApiError)) throw err;
    throw bootFailure(err);
  }
}

/** The boot check's one line for a failed `auth/me/`, with `check`'s exit code. */
function bootFailure(err: TrueppmApiError): StartupError {
  const line = (prefix: string) => `${prefix}${err.message}${err.hint ? ` ${err.hint}` : ""}`;
  if (err instanceof TokenRejectedError) return new StartupError(line(""), EXIT_TOKEN_REJECTED);
  const code = err.status === 403 ? EXIT_TOKEN_REJECTED : EXIT_API_UNAVAILABLE;
  return new StartupError(line("TruePPM boot check failed: "), code);
}

/**
 * Reads the configuration (a missing variable exits 2 at once) and returns the app straight away: the
 * boot check runs behind the MCP handshake, so an unreachable API or a rejected token never makes a
 * client time out. Until the check passes, every tool call answers with its message; it is retried with
 * backoff, and a success clears it. The HTTP client is made once here and shared by every session.
 */
export async function start(ctx: ServerContext): Promise<ServerApp> {
  const config = trueppmConfig(serverSettings(ctx, trueppmCommand));
  const api = createHttpClient(config);
  const gate = new BackendGate({
    check: async () => {
      try {
        await api.get("auth/me/");
        return { ok: true, summary: `TruePPM token accepted by ${config.apiBaseUrl}` };
      } catch (err) {
        if (err instanceof TrueppmApiError)
          return { ok: false, message: bootFailure(err).message, error: err };
        throw err;
      }
    },
    retryMs: RETRY_MS,
    log: ctx.log,
    // Tool results keep the original's message on the first line and the advice on the next.
    toError: ({ message, error }) =>
      error instanceof TrueppmApiError
        ? new TrueppmApiError(
            error.message,
            error.status,
            `${error.hint ? `${error.hint} ` : ""}(Checked again on the next call.)`,
          )
        : new TrueppmApiError(message, 0),
  });
  gate.start();
  const gated: TrueppmHttpClient = Object.freeze({
    get: async (target: string, params?: Parameters<TrueppmHttpClient["get"]>[1]) => {
      await gate.ready();
      return api.get(target, params);
    },
  });
  const registry = trueppmRegistry(gated, config);
  return {
    createServer: (extensions) => createTrueppmServer(registry, ctx.version, extensions),
    close: async () => gate.close(),
  };
}
