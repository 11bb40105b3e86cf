import { InMemoryServerEventBus } from "@modelcontextprotocol/server";
import type { ServerApp, ServerContext } from "../../core/app.ts";
import { ConfigError } from "../../core/errors.ts";
import { GatewayCore } from "./core.ts";
import { parseDuration } from "./duration.ts";
import { loadGuidance } from "./guidance-config.ts";
import { Manifest } from "./manifest.ts";
import { createGatewayServer, publishListChanges } from "./mcp-server.ts";
import { loadPolicy } from "./policy.ts";
import { openRuntimeState } from "./runtime-state.ts";
import { cacheDir } from "./state-dir.ts";
import type { ToolNameStyle } from "./tool-names.ts";

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

function choice<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name}: expected one of ${allowed.join(", ")}`);
}

/** Flag/env overrides of the policy's lifecycle.idle_timeout and max_running. */
function lifecycleOverrides(
  o: Record<string, unknown>,
  env: Record<string, string | undefined>,
): { idleTimeoutMs?: number; maxRunning?: number } {
  const out: { idleTimeoutMs?: number; maxRunning?: number } = {};
  const idle = str(o.idleTimeout) ?? str(env.MCPKIT_IDLE_TIMEOUT);
  if (idle !== undefined) {
    const ms = parseDuration(idle);
    if (ms === undefined) {
      throw new ConfigError(
        'MCPKIT_IDLE_TIMEOUT: expected seconds or a duration like "90s", "10m" (--idle-timeout; 0 = never)',
      );
    }
    out.idleTimeoutMs = ms;
  }
  const max = str(o.maxRunning) ?? str(env.MCPKIT_MAX_RUNNING);
  if (max !== undefined) {
    if (!/^\d+$/.test(max) || Number(max) < 1) {
      throw new ConfigError("MCPKIT_MAX_RUNNING: expected a whole number of at least 1 (--max-running)");
    }
    out.maxRunning = Number(max);
  }
  return out;
}

/** Longest the gateway waits for a first client handshake before starting autoStart servers anyway. */
const EAGER_START_DELAY_MS = 1000;

/**
 * Starts the gateway: reads config, policy and manifest (any malformed file stops start-up with file,
 * line and reason), registers servers, and starts eager ones in the background so the client's
 * handshake never waits for a downstream.
 */
export async function start(ctx: ServerContext): Promise<ServerApp> {
  const o = ctx.options;
  const env = ctx.env;
  const cwd = process.cwd();
  const toolNames = choice<ToolNameStyle>(
    "PMCP_TOOL_NAMES",
    str(o.toolNames) ?? str(env.PMCP_TOOL_NAMES),
    ["default", "dotted"],
    "default",
  );
  const guidance = loadGuidance(str(o.guidance), env);
  const registryUrl =
    str(o.registryUrl) ?? str(env.PMCP_REGISTRY_URL) ?? "https://registry.modelcontextprotocol.io";
  try {
    new URL(registryUrl);
  } catch {
    throw new ConfigError("PMCP_REGISTRY_URL: not a valid URL (--registry-url)");
  }
  const policy = loadPolicy(str(o.policy) ?? str(env.PMCP_POLICY), cwd, env);
  const lifecycle = lifecycleOverrides(o, env);
  const manifest = new Manifest(str(o.manifest) ?? str(env.PMCP_MANIFEST_PATH));
  // Log file and lock (http/sse) or instance file (stdio) in the state dir; see instance-lock.ts.
  const state = openRuntimeState(ctx);
  let core: GatewayCore;
  try {
    core = new GatewayCore({
      ctx,
      cwd,
      configPath: str(o.config) ?? str(env.PMCP_CONFIG),
      project: str(o.project),
      policy,
      manifest,
      toolNames,
      guidance: guidance.level,
      guidanceLayers: guidance.layers,
      telemetry: guidance.telemetry,
      cacheDir: cacheDir(env, o.cacheDir),
      registryUrl,
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
