import type { ServerApp, ServerContext } from "../../core/app.ts";
import { StartupError } from "../../core/errors.ts";
import { loadConfig } from "./config.ts";
import { TokenRejectedError, TrueppmApiError } from "./errors.ts";
import { createHttpClient } from "./http-client.ts";
import { createTrueppmServer } from "./server.ts";

/** Exit codes of a failed boot check (2 stays the configuration error). */
export const EXIT_TOKEN_REJECTED = 3;
export const EXIT_API_UNAVAILABLE = 4;

/**
 * Reads the configuration, checks the token once with `GET auth/me/` before any transport starts, and
 * returns the app. The HTTP client is made once here and shared by every session, for the whole process.
 */
export async function start(ctx: ServerContext): Promise<ServerApp> {
  const config = loadConfig(ctx.env);
  const api = createHttpClient(config);
  try {
    await api.get("auth/me/");
  } catch (err) {
    if (err instanceof TokenRejectedError) {
      throw new StartupError(`${err.message} ${err.hint ?? ""}`.trim(), EXIT_TOKEN_REJECTED);
    }
    if (err instanceof TrueppmApiError) {
      const code = err.status === 403 ? EXIT_TOKEN_REJECTED : EXIT_API_UNAVAILABLE;
      throw new StartupError(`TruePPM boot check failed: ${err.message}`, code);
    }
    throw err;
  }
  ctx.log.debug("TruePPM token accepted", { api: config.apiBaseUrl });
  return {
    createServer: () => createTrueppmServer(api, config, ctx.version),
    close: async () => {},
  };
}
