import { InMemoryServerEventBus } from "@modelcontextprotocol/server";
import type { ServerApp, ServerContext } from "../../core/app.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { gatewayCommand } from "./command.ts";
import { GatewayCore } from "./core.ts";
import { loadGuidance } from "./guidance-config.ts";
import { Manifest } from "./manifest.ts";
import { createGatewayServer, publishListChanges } from "./mcp-server.ts";
import { loadPolicy } from "./policy.ts";
import { openRuntimeState } from "./runtime-state.ts";
import { cacheDir } from "./state-dir.ts";

/** Longest the gateway waits for a first client handshake before starting autoStart servers anyway. */
const EAGER_START_DELAY_MS = 1000;

/**
 * Starts the gateway: reads config, policy and manifest (any malformed file stops start-up with file,
 * line and reason), registers servers, and starts eager ones in the background so the client's
 * handshake never waits for a downstream.
 */
export async function start(context: ServerContext): Promise<ServerApp> {
  const settings = serverSettings(context, gatewayCommand);
  // Resolved once: everything below (core, tools) reads these through ctx.config.
  const ctx: ServerContext = { ...context, config: settings };
  const env = ctx.env;
  const cwd = process.cwd();
  const guidance = loadGuidance(settings.guidance, env);
  const policy = loadPolicy(settings.policy, cwd, env);
  // Flag/variable overrides of the policy's lifecycle.idle_timeout and max_running.
  const lifecycle = {
    ...(settings.idleTimeout !== undefined ? { idleTimeoutMs: settings.idleTimeout } : {}),
    ...(settings.maxRunning !== undefined ? { maxRunning: settings.maxRunning } : {}),
  };
  const manifest = new Manifest(settings.manifest);
  // Log file and lock (http/sse) or instance file (stdio) in the state dir; see instance-lock.ts.
  const state = openRuntimeState(ctx, { lockDir: settings.lockDir, logMaxBytes: settings.logFileMaxBytes });
  let core: GatewayCore;
  try {
    core = new GatewayCore({
      ctx,
      cwd,
      configPath: settings.config,
      project: settings.project,
      policy,
      manifest,
      toolNames: settings.toolNames,
      guidance: guidance.level,
      guidanceLayers: guidance.layers,
      telemetry: guidance.telemetry,
      cacheDir: cacheDir(env, settings.cacheDir),
      registryUrl: settings.registryUrl,
      lifecycle,
    });
  } catch (err) {
    state.close();
    throw err;
  }
  ctx.log.info("gateway ready", {
    servers: core.servers.all().length,
    to_index: core.indexer.inProgress().length,
    manifest: manifest.size,
    config: core.config.sources.filter((s) => s.exists).map((s) => s.path),
  });
  // --debug (PMCP) / --log-level debug: where each server came from, and every config path looked at.
  for (const src of core.config.sources) {
    ctx.log.debug("config file", {
      path: src.path,
      scope: src.scope,
      found: src.exists,
      servers: src.servers,
    });
  }
  // Eager (autoStart) downstreams and background indexing start once the first client has finished its
  // handshake, or after EAGER_START_DELAY_MS if none does: spawning servers competes with our own
  // start-up for the CPU, and the client's initialize must not wait on them. (A search that arrives
  // first starts them itself.)
  let eagerStarted = false;
  const startEager = () => {
    if (eagerStarted) return;
    eagerStarted = true;
    clearTimeout(fallback);
    core.startBackground();
  };
  const fallback = setTimeout(startEager, EAGER_START_DELAY_MS);
  let closed: Promise<void> | undefined;
  const events = new InMemoryServerEventBus((err) =>
    ctx.log.debug("list change not delivered", { error: err.message }),
  );
  const unpublish = publishListChanges(core, events);
  return {
    createServer: (extensions) => {
      const server = createGatewayServer(core, extensions);
      const previous = server.server.oninitialized;
      server.server.oninitialized = () => {
        previous?.();
        setImmediate(startEager);
      };
      return server;
    },
    close: () => {
      clearTimeout(fallback);
      unpublish();
      closed ??= core.close().finally(() => state.close());
      return closed;
    },
    listening: (url) => state.listening(url),
    events,
  };
}
