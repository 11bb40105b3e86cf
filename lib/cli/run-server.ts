import type { ServerApp, ServerContext } from "../core/app.ts";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { NotBuiltError } from "../core/errors.ts";
import { createLogger } from "../core/log.ts";
import { ensureListMethods, ensureLoggingCapability } from "../core/mcp-capabilities.ts";
import { redactor } from "../core/redact.ts";
import type { ServerConfig } from "../core/settings/server-config.ts";
import { assertBindAllowed, isLoopbackHost } from "../transport/guard.ts";
import { type OAuthSettings, resolveOAuthSettings } from "../transport/oauth/config.ts";
import { ServerProcess, serve } from "../transport/serve.ts";
import { SERVER_COMMANDS } from "./commands.ts";
import { VERSION } from "./version.ts";

/** Wraps the app so every server instance it builds answers logging/setLevel and the list methods. */
function decorateApp(app: ServerApp): ServerApp {
  return {
    createServer(extensions) {
      const server = app.createServer(extensions);
      ensureLoggingCapability(server);
      ensureListMethods(server);
      return server;
    },
    close: () => app.close(),
    listening: (url) => app.listening?.(url),
    ...(app.events ? { events: app.events } : {}),
  };
}

/**
 * Starts a server subcommand with its settings resolved (see program.ts): make the one logger, load the
 * server's module lazily, start the app with `ctx.config`, serve it until exit.
 */
export async function runServer(
  spec: ServerCommandSpec,
  resolved: ServerConfig,
  invokedAs: string = spec.name,
): Promise<never> {
  if (!spec.load) throw new NotBuiltError(spec.name);
  const env = process.env as Record<string, string | undefined>;
  const { shared, config } = resolved;
  const transport = shared.transport;
  const authToken = shared.authToken;
  const log = createLogger({
    // Clients show a stdio server's stderr as errors, so a clean stdio start says nothing; the log file
    // sinks (gateway) keep the routine lines.
    level: shared.logLevel ?? (transport === "stdio" ? "warn" : "info"),
    sinkLevel: shared.logLevel ?? "info",
    format: shared.logFormat,
    scope: spec.name,
  });
  const builtins: ServerContext["builtins"] = {};
  for (const c of SERVER_COMMANDS) if (c.load && c.name !== spec.name) builtins[c.name] = c.load;

  // OAuth applies to http/sse only; on stdio the flags are accepted and have no effect.
  let oauth: OAuthSettings | undefined;
  if (transport !== "stdio") {
    oauth = resolveOAuthSettings(shared, env, shared.host, isLoopbackHost);
    redactor.addSecret(oauth?.introspectionClient?.secret);
    assertBindAllowed({
      host: shared.host,
      authToken,
      oauth,
      allowUnauthenticated: shared.allowUnauthenticated,
    });
  }
  // From here on stdin EOF and signals end the process, even while the server is still starting.
  const proc = new ServerProcess(log, transport);
  const app = await proc.startApp(
    spec
      .load()
      .then((mod) =>
        mod.start({ config, options: config, env, log, version: VERSION, transport, invokedAs, builtins }),
      ),
  );
  return serve(
    decorateApp(app),
    {
      transport,
      host: shared.host,
      port: shared.port ?? spec.defaultPort,
      authToken,
      oauth,
      allowUnauthenticated: shared.allowUnauthenticated,
      maxBodyBytes: shared.maxBodyBytes,
    },
    log,
    proc,
  );
}
