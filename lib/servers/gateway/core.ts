import { join } from "node:path";
import type { Tool } from "@modelcontextprotocol/server";
import type { ServerApp, ServerContext } from "../../core/app.ts";
import { errorMessage } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { FileEraVerdicts, type UpstreamSpec } from "../../upstream/index.ts";
import { Catalog } from "./catalog.ts";
import { gatewayCommand } from "./command.ts";
import { type DiscoveredConfig, discoverConfig } from "./config-discovery.ts";
import { DescriptionCache } from "./description-cache.ts";
import { EnvStore } from "./env-store.ts";
import type { GuidanceLevel } from "./guidance.ts";
import { type GuidanceLayers, presetLayers } from "./guidance-config.ts";
import { indexServer } from "./index-pass.ts";
import { CatalogIndexer } from "./indexer.ts";
import { DownstreamLifecycle, type LifecycleSettings } from "./lifecycle.ts";
import type { Manifest, ManifestEntry } from "./manifest.ts";
import { PendingCalls } from "./pending.ts";
import { PersistedServers } from "./persisted-servers.ts";
import type { Policy } from "./policy.ts";
import { ProvisionJobs, specFromManifest } from "./provisioner.ts";
import { OutputRedactor } from "./redaction.ts";
import { RegistryClient } from "./registry-client.ts";
import { GatewayError, type ServerEntry, ServerTable } from "./server-table.ts";
import { specHash } from "./spec-hash.ts";
import { userConfigDir } from "./state-dir.ts";
import type { ToolNameStyle } from "./tool-names.ts";
import { recordFromTool } from "./tool-record.ts";
import type { ToolRecord } from "./types.ts";

/** Built-in servers served in-process when no config names any server. */
const DEFAULT_BUILTINS = ["pty", "ptc"];

export interface CoreOptions {
  ctx: ServerContext;
  cwd: string;
  configPath?: string;
  project?: string;
  policy: Policy;
  manifest: Manifest;
  toolNames: ToolNameStyle;
  guidance: GuidanceLevel;
  /** Layers after the guidance file's switches; defaults to the level's preset. */
  guidanceLayers?: GuidanceLayers;
  /** PMCP's enable_telemetry: failures the gateway cannot explain carry a feedback_hint. Default true. */
  telemetry?: boolean;
  cacheDir: string;
  registryUrl: string;
  /** Flag/env overrides of the policy's lifecycle section. */
  lifecycle?: Partial<LifecycleSettings>;
}

/** Everything the meta-tools share: servers, catalog, policy, pending calls, jobs, credentials. */
export class GatewayCore {
  readonly log: Logger;
  readonly policy: Policy;
  readonly manifest: Manifest;
  readonly catalog = new Catalog();
  readonly cache: DescriptionCache;
  readonly pending = new PendingCalls();
  readonly jobs: ProvisionJobs;
  readonly registry: RegistryClient;
  readonly envStore: EnvStore;
  readonly redactor: OutputRedactor;
  readonly servers: ServerTable;
  /** Background indexing of configured servers (indexer.ts). */
  readonly indexer: CatalogIndexer;
  /** Idle reaping and the process cap (lifecycle.ts). */
  readonly lifecycle: DownstreamLifecycle;
  /** How long catalog_search and describe wait for servers still being indexed, by default. */
  readonly searchWaitMs: number;
  readonly toolNames: ToolNameStyle;
  readonly guidance: GuidanceLevel;
  readonly guidanceLayers: GuidanceLayers;
  readonly telemetry: boolean;
  /** Servers registered from the MCP Registry (register_discovered_server), provisionable by name. */
  readonly discovered = new Map<string, ManifestEntry>();
  /** Registrations and provisions that outlive the process. */
  readonly persisted: PersistedServers;
  environment?: { platform: string; clis: string[] };
  config: DiscoveredConfig;
  revision = 1;
  lastRefresh = new Date().toISOString();
  private readonly builtinApps = new Map<string, Promise<ServerApp>>();
  private backgroundStarted = false;

  constructor(readonly opts: CoreOptions) {
    const { ctx } = opts;
    this.log = ctx.log;
    this.policy = opts.policy;
    this.manifest = opts.manifest;
    this.toolNames = opts.toolNames;
    this.guidance = opts.guidance;
    this.guidanceLayers = opts.guidanceLayers ?? presetLayers(opts.guidance);
    this.telemetry = opts.telemetry ?? true;
    this.cache = new DescriptionCache(opts.cacheDir);
    this.catalog.setCached(this.cache.records());
    this.registry = new RegistryClient(opts.registryUrl, opts.cacheDir);
    this.config = discoverConfig({
      cwd: opts.cwd,
      env: ctx.env,
      explicit: opts.configPath,
      project: opts.project,
    });
    this.envStore = new EnvStore(ctx.env, this.config.projectRoot);
    this.redactor = new OutputRedactor(opts.policy.redactionPatterns);
    for (const v of this.envStore.storedValues()) this.redactor.addSecret(v);
    this.servers = new ServerTable(
      () => this.envStore.lookup(),
      ctx.env,
      ctx.log,
      ctx.version,
      (server, tools) => this.indexTools(server, tools),
      // Era verdicts of `protocol: auto|2026` servers, beside the description cache (same lifetime).
      new FileEraVerdicts(join(opts.cacheDir, "gateway", "protocols.json")),
    );
    const lc = opts.policy.lifecycle;
    this.lifecycle = new DownstreamLifecycle(
      this.servers,
      this.pending,
      {
        idleTimeoutMs: opts.lifecycle?.idleTimeoutMs ?? lc.idle_timeout,
        maxRunning: opts.lifecycle?.maxRunning ?? lc.max_running,
      },
      ctx.log.child("lifecycle"),
    );
    this.servers.beforeStart = (entry) => this.lifecycle.makeRoom(entry);
    this.searchWaitMs = lc.search_wait;
    this.indexer = new CatalogIndexer(
      {
        entries: () => this.servers.all(),
        entry: (name) => this.servers.get(name),
        cacheCurrent: (entry) => this.cache.specHash(entry.name) === this.specHashOf(entry),
        indexServer: (name, timeoutMs) => this.indexServer(name, timeoutMs),
        log: ctx.log.child("index"),
      },
      { concurrency: lc.index_concurrency, timeoutMs: lc.index_timeout },
    );
    this.jobs = new ProvisionJobs(this);
    this.persisted = new PersistedServers(this.config.projectRoot, userConfigDir(ctx.env), ctx.log);
    this.loadServers();
    this.loadPersisted();
    this.indexer.plan();
  }

  /**
   * Registry servers registered in this project become provisionable again, and servers provisioned
   * earlier come back as lazy servers (started on first describe/invoke, searchable from the cache).
   * A configured server of the same name wins; policy applies as to any other server.
   */
  private loadPersisted(): void {
    for (const entry of this.persisted.registered()) {
      if (!this.servers.get(entry.name)) this.discovered.set(entry.name, entry);
    }
    for (const row of this.persisted.provisioned()) {
      if (this.servers.get(row.name) || !this.policy.serverAllowed(row.name)) continue;
      const entry =
        row.origin === "manifest"
          ? this.manifest.get(row.name)
          : (row.entry ?? this.discovered.get(row.name));
      if (!entry) {
        this.log.warn("a provisioned server is no longer in the manifest; skipped", { server: row.name });
        continue;
      }
      this.servers.add(specFromManifest(entry), row.origin, false);
    }
  }

  /** Registers configured servers (or the built-ins when nothing is configured). */
  private loadServers(): void {
    const { specs, autoStart, disableAutoStart } = this.config;
    for (const spec of specs) {
      if (!this.policy.serverAllowed(spec.name)) continue;
      const eager = autoStart.has(spec.name) && !disableAutoStart.has(spec.name);
      this.servers.add(spec, "config", eager);
    }
    this.loadManifestAutoStart();
    if (specs.length === 0) {
      for (const name of DEFAULT_BUILTINS) {
        const factory = this.opts.ctx.builtins?.[name];
        if (!factory || !this.policy.serverAllowed(name)) continue;
        this.servers.add(this.builtinSpec(name, factory), "builtin", true);
      }
    }
  }

  /**
   * Manifest servers opted in to starting with the gateway: named in an `autoStart` list without being
   * configured, or, with PMCP_LEGACY_MANIFEST_AUTOSTART=1 (PMCP's switch), every entry marked `auto_start`
   * (PMCP's pair: playwright, context7). One whose credential is missing is skipped with a warning.
   */
  private loadManifestAutoStart(): void {
    const { autoStart, disableAutoStart } = this.config;
    const legacy = serverSettings(this.opts.ctx, gatewayCommand).legacyManifestAutostart;
    for (const entry of this.manifest.all()) {
      if (!autoStart.has(entry.name) && !(legacy && entry.auto_start)) continue;
      if (disableAutoStart.has(entry.name) || this.servers.get(entry.name)) continue;
      if (!this.policy.serverAllowed(entry.name)) continue;
      if (entry.not_available) {
        this.log.warn("autoStart names a manifest server that is not available", { server: entry.name });
        continue;
      }
      if (entry.env_var && !this.envStore.has(entry.env_var)) {
        this.log.warn("autoStart server skipped: its credential is not set", {
          server: entry.name,
          env_var: entry.env_var,
        });
        continue;
      }
      this.servers.add(specFromManifest(entry), "manifest", true);
    }
  }

  private builtinSpec(
    name: string,
    factory: () => Promise<{ start(ctx: ServerContext): Promise<ServerApp> }>,
  ) {
    const app = () => {
      let p = this.builtinApps.get(name);
      if (!p) {
        const { ctx } = this.opts;
        p = factory().then((mod) =>
          mod.start({
            options: {},
            env: ctx.env,
            log: ctx.log.child(name),
            version: ctx.version,
            transport: "stdio",
          }),
        );
        this.builtinApps.set(name, p);
      }
      return p;
    };
    const spec: UpstreamSpec = {
      name,
      transport: "memory",
      create: async () => (await app()).createServer(),
    };
    return spec;
  }

  /**
   * Starts eager servers, background indexing and the idle check; the client's handshake never waits
   * for any of it. Idempotent (the first handshake, a fallback timer and the first search all call it).
   */
  startBackground(): void {
    if (this.backgroundStarted) return;
    this.backgroundStarted = true;
    this.servers.startEager();
    this.indexer.start();
    this.lifecycle.start();
  }

  /** The fingerprint of what would run for this entry (cached cards are trusted only when it matches). */
  specHashOf(entry: ServerEntry): string {
    return specHash(entry.raw, this.opts.ctx.version);
  }

  /**
   * Tools of a server as catalog records, capped by limits.max_tools_per_server, written to the
   * description cache and compared with the accepted definitions (changed ones are marked).
   */
  indexTools(server: string, tools: Tool[]): ToolRecord[] {
    const entry = this.servers.get(server);
    const listed = tools
      .slice(0, this.policy.limits.max_tools_per_server)
      .map((t) => recordFromTool(server, t as never));
    const changes = this.cache.update(server, listed, entry ? this.specHashOf(entry) : undefined);
    const records = changes.size
      ? listed.map((r) => {
          const change = changes.get(r.name);
          return change ? { ...r, changed: change } : r;
        })
      : listed;
    if (changes.size) {
      this.log.warn("downstream tool definitions changed since they were indexed", {
        server,
        tools: [...changes.keys()],
      });
    }
    this.catalog.setLive(server, records);
    this.catalog.setCachedServer(server, this.cache.recordsOf(server) ?? []);
    this.revision++;
    if (entry) this.indexer.markIndexed(server);
    return records;
  }

  /** One background indexing pass over a server (index-pass.ts). */
  indexServer(name: string, timeoutMs: number): Promise<void> {
    return indexServer(this, name, timeoutMs);
  }

  /**
   * Accepts changed tool definitions (every one, or the given tool ids / server names): they become the
   * baseline, their cards lose the mark, and a `changed_tools: block` policy lets them be invoked again.
   */
  acceptChanges(which: true | string[]): string[] {
    const accepted: string[] = [];
    for (const { server, tool } of this.cache.allChanges()) {
      const id = `${server}::${tool}`;
      if (which !== true && !which.includes(id) && !which.includes(server)) continue;
      if (!this.cache.accept(server, [tool]).length) continue;
      accepted.push(id);
      const live = this.catalog.liveTools(server);
      if (live.length) {
        this.catalog.setLive(
          server,
          live.map((r) => (r.name === tool && r.changed ? { ...r, changed: undefined } : r)),
        );
      }
      this.catalog.setCachedServer(server, this.cache.recordsOf(server) ?? []);
    }
    if (accepted.length) {
      this.revision++;
      this.log.info("changed tool definitions accepted", { tools: accepted });
    }
    return accepted;
  }

  /** Starts (or joins the start of) a server and returns its indexed tools. Policy is checked first. */
  async ensureServer(name: string): Promise<{ entry: ServerEntry; records: ToolRecord[] }> {
    if (!this.policy.serverAllowed(name)) {
      throw new GatewayError(`server '${name}' is denied by policy`, "policy_denied");
    }
    if (!this.servers.get(name)) {
      const m = this.manifest.get(name) ?? this.discovered.get(name);
      throw new GatewayError(
        m
          ? `server '${name}' is not provisioned yet: call ${this.name("provision")}(server_name='${name}')`
          : `unknown server '${name}'; ${this.name("catalog_search")} lists tool ids, ${this.name("health")} lists servers`,
        m ? "not_provisioned" : "unknown_server",
      );
    }
    const { entry, tools } = await this.servers.ensure(name);
    const live = this.catalog.liveTools(name);
    const records =
      live.length === Math.min(tools.length, this.policy.limits.max_tools_per_server)
        ? live
        : this.indexTools(name, tools);
    return { entry, records };
  }

  name(verb: string): string {
    return this.toolNames === "dotted" ? `gateway.${verb}` : `gateway_${verb}`;
  }

  /** Re-reads config files and credentials, then restarts only what changed. */
  async refresh(force: boolean): Promise<Record<string, unknown>> {
    const pending = this.pending.list();
    if (pending.length && !force) {
      return {
        ok: false,
        pending_requests: pending.length,
        error: `${pending.length} call(s) in flight; wait, or pass force:true to cancel them`,
      };
    }
    for (const call of pending) call.controller.abort(new Error("cancelled by refresh"));
    let next: DiscoveredConfig;
    try {
      next = discoverConfig({
        cwd: this.opts.cwd,
        env: this.opts.ctx.env,
        explicit: this.opts.configPath,
        project: this.opts.project,
      });
    } catch (e) {
      return { ok: false, error: errorMessage(e) };
    }
    this.envStore.reload(next.projectRoot);
    for (const v of this.envStore.storedValues()) this.redactor.addSecret(v);
    const added: string[] = [];
    const removed: string[] = [];
    const changed: string[] = [];
    const wanted = new Map(
      next.specs.filter((s) => this.policy.serverAllowed(s.name)).map((s) => [s.name, s]),
    );
    for (const entry of this.servers.all()) {
      if (entry.origin !== "config") continue;
      const spec = wanted.get(entry.name);
      if (!spec) {
        removed.push(entry.name);
        await this.servers.remove(entry.name);
        this.catalog.dropLive(entry.name);
        this.indexer.forget(entry.name);
      } else if (JSON.stringify(spec) !== JSON.stringify(entry.raw)) {
        changed.push(entry.name);
        await this.servers.remove(entry.name);
        this.catalog.dropLive(entry.name);
      }
    }
    for (const [name, spec] of wanted) {
      if (this.servers.get(name)) continue;
      if (!changed.includes(name)) added.push(name);
      const eager = next.autoStart.has(name) && !next.disableAutoStart.has(name);
      this.servers.add(spec, "config", eager);
    }
    this.config = next;
    this.revision++;
    this.lastRefresh = new Date().toISOString();
    this.servers.startEager();
    // New and changed servers are indexed (unless the cache already knows their launch spec).
    if (added.length || changed.length) this.indexer.plan([...added, ...changed]);
    return {
      ok: true,
      servers_seen: this.servers.all().length,
      added,
      removed,
      changed,
      pending_cancelled: pending.length,
      tools_indexed: this.catalog.toolCount,
      revision_id: this.revision,
    };
  }

  async close(): Promise<void> {
    for (const call of this.pending.list()) call.controller.abort(new Error("gateway shutting down"));
    this.indexer.close();
    this.lifecycle.close();
    this.jobs.close();
    await this.servers.closeAll();
    for (const p of this.builtinApps.values()) {
      try {
        await (await p).close();
      } catch {
        // A built-in that failed to start has nothing to close.
      }
    }
  }
}
