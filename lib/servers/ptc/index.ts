import { join, resolve } from "node:path";
import type { McpServer } from "@modelcontextprotocol/server";
import type { ServerApp, ServerContext } from "../../core/app.ts";
import { StartupError } from "../../core/errors.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { FileEraVerdicts, registerSpecSecrets, UpstreamPool } from "../../upstream/index.ts";
import { ptcCacheDir } from "./cache-dir.ts";
import { collisionMessage, ToolCatalog } from "./catalog.ts";
import { ptcCommand } from "./command.ts";
import { DEFAULT_LIMITS, loadPtcConfig } from "./config.ts";
import { PythonEngine } from "./engine/python-runner.ts";
import { QuickJSEngine } from "./engine/quickjs-runner.ts";
import { type Language, resolveDefaultLanguage } from "./language.ts";
import { ToolFilter } from "./naming.ts";
import { ProgramRunner } from "./program-runner.ts";
import { createPtcServer, ptcRegistry } from "./server.ts";
import type { ExecutionLimits, ToolSource } from "./types.ts";
import { PoolToolSource } from "./upstream-source.ts";

export type { DownstreamTool, ExecutionLimits, ServerState, ToolSource } from "./types.ts";

export interface PtcAppOptions {
  source: ToolSource;
  limits?: Partial<ExecutionLimits>;
  allow?: string[];
  block?: string[];
  /** What execute_program runs when a call names no language (JavaScript unless told). */
  defaultLanguage?: Language;
  version?: string;
  /** Runs when the app closes (e.g. closing the upstream pool behind `source`). */
  onClose?: () => Promise<void>;
}

/**
 * ptc over any ToolSource: what `start` builds from config, and what the gateway can mount in-process with
 * its own tool caller (`createPtcApp({source})` → `createServer()` per session).
 */
export function createPtcApp(
  opts: PtcAppOptions,
): ServerApp & { catalog: ToolCatalog; runner: ProgramRunner } {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const catalog = new ToolCatalog(opts.source, new ToolFilter({ allow: opts.allow, block: opts.block }));
  const js = new QuickJSEngine();
  void js.warm().catch(() => {});
  const runner = new ProgramRunner(
    catalog,
    limits,
    js,
    new PythonEngine(limits.python, limits.sandbox),
    opts.defaultLanguage ?? "javascript",
  );
  const registry = ptcRegistry(catalog, runner);
  const servers = new Set<McpServer>();
  let closed = false;
  return {
    catalog,
    runner,
    createServer(extensions) {
      // ptc's own three tools never change, so downstream changes need no list_changed to our clients:
      // list_callable_tools reads the live catalog on every call.
      // Only connected instances are tracked (and closed with the app): the SDK builds some per-request
      // instances only to read their capabilities, and those must not be kept.
      const server = createPtcServer(registry, opts.version ?? "0.0.0", {
        ...(extensions?.tools ? { extraTools: extensions.tools } : {}),
        connected: (s) => {
          servers.add(s);
          const prior = s.server.onclose;
          s.server.onclose = () => {
            servers.delete(s);
            prior?.();
          };
        },
      });
      extensions?.register?.(server);
      return server;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...servers].map((s) => s.close()));
      await opts.onClose?.();
    },
  };
}

export async function start(ctx: ServerContext): Promise<ServerApp> {
  const settings = serverSettings(ctx, ptcCommand);
  const configPath = resolve(settings.config);
  const mcpConfig = settings.mcpConfig ? resolve(settings.mcpConfig) : undefined;
  const config = loadPtcConfig({
    configPath,
    ...(mcpConfig ? { mcpConfigPath: mcpConfig } : {}),
    env: ctx.env,
  });
  const defaultLanguage = resolveDefaultLanguage({
    flag: settings.defaultLanguage,
    ...(config.defaultLanguage ? { configured: config.defaultLanguage } : {}),
    ...(ctx.invokedAs ? { invokedAs: ctx.invokedAs } : {}),
  });
  for (const spec of config.servers) registerSpecSecrets(spec);
  ctx.log.info(
    `config: ${config.source}; ${config.servers.length} downstream server(s); programs default to ${defaultLanguage}`,
  );

  const pool = new UpstreamPool(config.servers, {
    log: ctx.log,
    clientInfo: { name: "mcpkit-ptc", version: ctx.version },
    parentEnv: ctx.env,
    // Era verdicts of `protocol: auto|2026` servers, so a probe is paid once per launch spec.
    verdicts: new FileEraVerdicts(join(ptcCacheDir(ctx.env, settings.cacheDir), "protocols.json")),
  });
  const source = new PoolToolSource(pool);
  await source.start();
  const app = createPtcApp({
    source,
    limits: config.limits,
    ...(config.allow ? { allow: config.allow } : {}),
    ...(config.block ? { block: config.block } : {}),
    defaultLanguage,
    version: ctx.version,
    onClose: () => pool.closeAll(),
  });
  const collision = app.catalog.collisions()[0];
  if (collision) {
    await pool.closeAll();
    throw new StartupError(collisionMessage(collision), 2);
  }
  for (const s of app.catalog.servers()) {
    if (!s.connected)
      ctx.log.warn(
        `server '${s.name}' is not available (${s.error ?? "connecting"}); retrying in the background`,
      );
  }
  return app;
}
