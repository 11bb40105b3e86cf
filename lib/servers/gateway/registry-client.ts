import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Bm25Index } from "./search/bm25.ts";

/** One registry server, reduced to what an agent needs to pick and register it. */
export interface RegistryServer {
  name: string;
  description: string;
  version?: string;
  package?: string;
  registry_type?: string;
  transport?: string;
  url?: string;
  env_vars: string[];
}

interface CacheFile {
  fetched_at: number;
  base_url: string;
  servers: RegistryServer[];
}

const PAGE_LIMIT = 100;
const MAX_PAGES = 5;
const FRESH_MS = 60 * 60 * 1000;
const FAILURE_BACKOFF_MS = 30_000;

function reduce(entry: any): RegistryServer | undefined {
  const s = entry?.server ?? entry;
  if (!s || typeof s.name !== "string") return undefined;
  const meta =
    entry?._meta?.["io.modelcontextprotocol.registry/official"] ??
    s?._meta?.["io.modelcontextprotocol.registry/official"];
  if (meta && (meta.status === "deleted" || meta.status === "deprecated" || meta.isLatest === false))
    return undefined;
  const pkg = Array.isArray(s.packages) ? s.packages[0] : undefined;
  const remote = Array.isArray(s.remotes) ? s.remotes[0] : undefined;
  const envVars: string[] = [];
  for (const v of pkg?.environmentVariables ?? []) if (typeof v?.name === "string") envVars.push(v.name);
  return {
    name: s.name,
    description: typeof s.description === "string" ? s.description : "",
    ...(typeof s.version === "string" ? { version: s.version } : {}),
    ...(pkg?.identifier
      ? { package: String(pkg.identifier), registry_type: String(pkg.registryType ?? "") }
      : {}),
    ...(pkg?.transport?.type
      ? { transport: String(pkg.transport.type) }
      : remote?.type
        ? { transport: String(remote.type) }
        : {}),
    ...(remote?.url ? { url: String(remote.url) } : {}),
    env_vars: envVars,
  };
}

/**
 * Reads the official MCP Registry (`GET /v0/servers?version=latest`, following cursors for a few pages),
 * caches the list on disk for an hour, and ranks it locally with BM25 so free-text queries work (the
 * registry's own `search` matches names only). Offline, a stale cache is used; with none, a clear error.
 */
export class RegistryClient {
  private memory?: CacheFile;
  private lastFailure?: { at: number; message: string };
  private readonly cachePath: string;

  constructor(
    readonly baseUrl: string,
    cacheDir: string,
    private readonly timeoutMs = 5_000,
  ) {
    this.cachePath = join(cacheDir, "gateway", "registry.json");
  }

  private readDisk(): CacheFile | undefined {
    try {
      const data = JSON.parse(readFileSync(this.cachePath, "utf8")) as CacheFile;
      return data.base_url === this.baseUrl && Array.isArray(data.servers) ? data : undefined;
    } catch {
      return undefined;
    }
  }

  private writeDisk(data: CacheFile): void {
    try {
      mkdirSync(dirname(this.cachePath), { recursive: true });
      const tmp = `${this.cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, this.cachePath);
    } catch {
      // Caching is an optimisation; a read-only disk only costs a refetch.
    }
  }

  private async fetchAll(): Promise<RegistryServer[]> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const out: RegistryServer[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = new URL("/v0/servers", this.baseUrl);
      url.searchParams.set("version", "latest");
      url.searchParams.set("limit", String(PAGE_LIMIT));
      if (cursor) url.searchParams.set("cursor", cursor);
      const res = await fetch(url, { signal: deadline, headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as any;
      for (const entry of body?.servers ?? []) {
        const r = reduce(entry);
        if (r) out.push(r);
      }
      cursor = body?.metadata?.nextCursor || body?.metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return out;
  }

  /** The server list: memory, then fresh disk cache, then the network, then a stale cache. */
  async servers(): Promise<{ servers: RegistryServer[]; stale: boolean; cached: boolean }> {
    const now = Date.now();
    if (this.memory && now - this.memory.fetched_at < FRESH_MS)
      return { servers: this.memory.servers, stale: false, cached: true };
    const disk = this.readDisk();
    if (disk && now - disk.fetched_at < FRESH_MS) {
      this.memory = disk;
      return { servers: disk.servers, stale: false, cached: true };
    }
    if (this.lastFailure && now - this.lastFailure.at < FAILURE_BACKOFF_MS && !disk) {
      throw new Error(this.lastFailure.message);
    }
    try {
      const servers = await this.fetchAll();
      this.memory = { fetched_at: now, base_url: this.baseUrl, servers };
      this.writeDisk(this.memory);
      return { servers, stale: false, cached: false };
    } catch (e) {
      const reason =
        (e as Error).name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : (e as Error).message;
      const message = `MCP Registry at ${this.baseUrl} is unreachable (${reason}); check the network or set --registry-url / PMCP_REGISTRY_URL`;
      this.lastFailure = { at: now, message };
      if (disk) return { servers: disk.servers, stale: true, cached: true };
      throw new Error(message);
    }
  }

  async search(
    query: string,
    limit: number,
  ): Promise<{ results: RegistryServer[]; stale: boolean; cached: boolean }> {
    const { servers, stale, cached } = await this.servers();
    const index = new Bm25Index(
      servers.map((s, i) => ({
        id: String(i),
        fields: { name: s.name.replace(/[./]/g, " "), package: s.package ?? "", description: s.description },
      })),
      { name: 3, package: 2, description: 1 },
    );
    const q = query.toLowerCase();
    const ranked = [...index.score(query)]
      .map(([i, score]) => {
        const s = servers[Number(i)]!;
        const bonus = s.name.toLowerCase().includes(q) || (s.package ?? "").toLowerCase().includes(q) ? 5 : 0;
        return { s, score: score + bonus };
      })
      .sort((a, b) => b.score - a.score || a.s.name.localeCompare(b.s.name));
    return { results: ranked.slice(0, limit).map((r) => r.s), stale, cached };
  }
}
