import type { ServerApp, ServerContext } from "../core/app.ts";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { NotBuiltError } from "../core/errors.ts";
import { createLogger, type LogLevel } from "../core/log.ts";
import { ensureListMethods, ensureLoggingCapability } from "../core/mcp-capabilities.ts";
import { redactor } from "../core/redact.ts";
import { assertBindAllowed, isLoopbackHost } from "../transport/guard.ts";
import { OAUTH_FLAG_KEYS, type OAuthSettings, resolveOAuthSettings } from "../transport/oauth/config.ts";
import { ServerProcess, serve } from "../transport/serve.ts";
import { SERVER_COMMANDS } from "./commands.ts";
import { VERSION } from "./version.ts";

/** Flags the CLI consumes itself; everything else is handed to the server as its options. */
const COMMON_KEYS = new Set([
  "transport",
  "host",
  "port",
  "authToken",
  ...OAUTH_FLAG_KEYS,
  "allowUnauthenticated",
  "maxBodyBytes",
  "logLevel",
  "logFormat",
]);

/** Resolves the bearer token from the flag or the environment (first non-blank wins). */
function resolveAuthToken(flag: unknown, spec: ServerCommandSpec, env: Record<string, string | undefined>) {
  if (typeof flag === "string" && flag.trim()) return flag.trim();
  for (const name of ["MCPKIT_AUTH_TOKEN", ...spec.authTokenEnv]) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
}

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

/** Starts a server subcommand: load its module lazily, start the app, serve it until exit. */
export async function runServer(
  spec: ServerCommandSpec,
  flags: Record<string, unknown>,
  invokedAs: string = spec.name,
): Promise<never> {
  if (!spec.load) throw new NotBuiltError(spec.name);
  const env = process.env as Record<string, string | undefined>;
  const transport = flags.transport as ServerContext["transport"];
  const authToken = resolveAuthToken(flags.authToken, spec, env);
  redactor.addSecret(authToken);
  const chosen = flags.logLevel as LogLevel | undefined;
  const log = createLogger({
    // Clients show a stdio server's stderr as errors, so a clean stdio start says nothing; the log file
    // sinks (gateway) keep the routine lines.
    level: chosen ?? (transport === "stdio" ? "warn" : "info"),
    sinkLevel: chosen ?? "info",
    format: flags.logFormat as "text" | "json",
    scope: spec.name,
  });
  const options = Object.fromEntries(Object.entries(flags).filter(([k]) => !COMMON_KEYS.has(k)));
  const builtins: ServerContext["builtins"] = {};
  for (const c of SERVER_COMMANDS) if (c.load && c.name !== spec.name) builtins[c.name] = c.load;

  // OAuth applies to http/sse only; on stdio the flags are accepted and have no effect.
  let oauth: OAuthSettings | undefined;
  if (transport !== "stdio") {
    oauth = resolveOAuthSettings(flags, env, String(flags.host), isLoopbackHost);
    redactor.addSecret(oauth?.introspectionClient?.secret);
    assertBindAllowed({
      host: String(flags.host),
      authToken,
      oauth,
      allowUnauthenticated: Boolean(flags.allowUnauthenticated),
    });
  }
  // From here on stdin EOF and signals end the process, even while the server is still starting.
  const proc = new ServerProcess(log, transport);
  const app = await proc.startApp(
    spec
      .load()
      .then((mod) => mod.start({ options, env, log, version: VERSION, transport, invokedAs, builtins })),
  );
  return serve(
    decorateApp(app),
    {
      transport,
      host: String(flags.host),
      port: Number(flags.port),
      authToken,
      oauth,
      allowUnauthenticated: Boolean(flags.allowUnauthenticated),
      maxBodyBytes: Number(flags.maxBodyBytes),
    },
    log,
    proc,
  );
}
