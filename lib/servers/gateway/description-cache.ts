import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { schemaHash } from "./spec-hash.ts";
import type { ToolChange, ToolRecord } from "./types.ts";

/** On-disk shape of one tool: enough to build cards, never the full schema (only its fingerprint). */
interface CachedTool {
  name: string;
  title?: string;
  description: string;
  params: string[];
  tags: string[];
  risk: ToolRecord["risk"];
  schema_hash?: string;
}

/** The definition a changed tool had when it was last accepted. */
interface AcceptedDefinition {
  description: string;
  schema_hash?: string;
}

interface CachedChange {
  fields: ToolChange["fields"];
  detected_at: string;
  accepted: AcceptedDefinition;
}

/** The list kinds a server's resources and prompts come in (as the proxies name them). */
export type CachedListKind = "resources" | "templates" | "prompts";

/**
 * A server's resources, resource templates and prompts as last listed, so they can be listed while it
 * is not running. A kind with more than MAX_CACHED_ITEMS items keeps only its count.
 */
type CachedLists = Partial<Record<CachedListKind, { count: number; items?: unknown[] }>>;

const MAX_CACHED_ITEMS = 1000;

interface CachedServer {
  generated_at: string;
  /** Fingerprint of the launch spec the tools were listed from (spec-hash.ts); absent in older files. */
  spec_hash?: string;
  tools: CachedTool[];
  lists?: CachedLists;
  /** Tools whose definition differs from the accepted one, until gateway_refresh accepts them. */
  changes?: Record<string, CachedChange>;
}

interface CacheFile {
  version: 1;
  servers: Record<string, CachedServer>;
}

function readCacheFile(path: string): CacheFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    if (parsed && parsed.version === 1 && parsed.servers && typeof parsed.servers === "object") return parsed;
  } catch {
    // Missing or unreadable: treated as empty and rebuilt as servers are indexed.
  }
  return undefined;
}

function publicChange(c: CachedChange): ToolChange {
  return {
    fields: c.fields,
    detected_at: c.detected_at,
    ...(c.fields.includes("description") ? { previous_description: c.accepted.description } : {}),
  };
}

/**
 * Persisted tool descriptions (`<cache dir>/gateway/descriptions.json`): written whenever a server's
 * tools are listed, read at start-up so configured servers are searchable before they run, and the
 * baseline against which changed tool definitions are detected. Several gateways may share the file:
 * each write re-reads it and replaces only the server it lists.
 */
export class DescriptionCache {
  readonly path: string;
  private data: CacheFile = { version: 1, servers: {} };

  constructor(dir: string) {
    this.path = join(dir, "gateway", "descriptions.json");
    this.data = readCacheFile(this.path) ?? this.data;
  }

  records(): Map<string, ToolRecord[]> {
    const out = new Map<string, ToolRecord[]>();
    for (const server of Object.keys(this.data.servers)) out.set(server, this.recordsOf(server)!);
    return out;
  }

  /** Cards of one server as offline records (no schemas), with any pending change marked. */
  recordsOf(server: string): ToolRecord[] | undefined {
    const entry = this.data.servers[server];
    if (!entry) return undefined;
    return entry.tools.map((t) => {
      const { schema_hash: _h, ...card } = t;
      const change = entry.changes?.[t.name];
      return {
        ...card,
        server,
        availability: "offline" as const,
        ...(change ? { changed: publicChange(change) } : {}),
      };
    });
  }

  /** The launch-spec fingerprint the server's cards were listed from. */
  specHash(server: string): string | undefined {
    return this.data.servers[server]?.spec_hash;
  }

  generatedAt(server: string): string | undefined {
    return this.data.servers[server]?.generated_at;
  }

  /** How many resources, templates and prompts the server offered when last listed. */
  listCounts(server: string): Partial<Record<CachedListKind, number>> {
    const lists = this.data.servers[server]?.lists ?? {};
    const out: Partial<Record<CachedListKind, number>> = {};
    for (const [kind, v] of Object.entries(lists)) if (v) out[kind as CachedListKind] = v.count;
    return out;
  }

  /** The items of one list as last listed; undefined when never listed or too many to keep. */
  listItems(server: string, kind: CachedListKind): unknown[] | undefined {
    return this.data.servers[server]?.lists?.[kind]?.items;
  }

  /**
   * Records a fresh listing and compares it with the accepted definitions: a tool whose description or
   * input schema differs is recorded as changed (and stays so across restarts until accepted, or until
   * the server offers the accepted definition again). New tools are not changes. Returns the changes of
   * this server after the update, by tool name.
   */
  update(server: string, tools: ToolRecord[], specHash?: string): Map<string, ToolChange> {
    this.reload();
    const prev = this.data.servers[server];
    const before = new Map((prev?.tools ?? []).map((t) => [t.name, t] as const));
    const now = new Date().toISOString();
    const changes: Record<string, CachedChange> = {};
    const cached: CachedTool[] = tools.map((t) => {
      const hash = t.inputSchema ? schemaHash(t.inputSchema) : undefined;
      const old = before.get(t.name);
      const accepted: AcceptedDefinition | undefined =
        prev?.changes?.[t.name]?.accepted ??
        (old ? { description: old.description, schema_hash: old.schema_hash } : undefined);
      if (accepted) {
        const fields: ToolChange["fields"] = [];
        if (accepted.description !== t.description) fields.push("description");
        if (accepted.schema_hash && hash && accepted.schema_hash !== hash) fields.push("input_schema");
        if (fields.length) {
          const earlier = prev?.changes?.[t.name];
          const same = earlier && earlier.fields.join() === fields.join();
          changes[t.name] = { fields, detected_at: same ? earlier.detected_at : now, accepted };
        }
      }
      return {
        name: t.name,
        ...(t.title ? { title: t.title } : {}),
        description: t.description,
        params: t.params,
        tags: t.tags,
        risk: t.risk,
        ...(hash ? { schema_hash: hash } : {}),
      };
    });
    this.data.servers[server] = {
      generated_at: now,
      ...((specHash ?? prev?.spec_hash) ? { spec_hash: specHash ?? prev?.spec_hash } : {}),
      tools: cached,
      ...(prev?.lists ? { lists: prev.lists } : {}),
      ...(Object.keys(changes).length ? { changes } : {}),
    };
    this.save();
    return new Map(Object.entries(changes).map(([name, c]) => [name, publicChange(c)]));
  }

  /**
   * Records a fresh listing of the server's resources, templates or prompts (written only when it
   * differs from what is cached). A server whose tools were never cached gets no entry from this.
   */
  setList(server: string, kind: CachedListKind, items: unknown[]): void {
    const next = { count: items.length, ...(items.length <= MAX_CACHED_ITEMS ? { items } : {}) };
    const current = this.data.servers[server]?.lists?.[kind];
    if (current && JSON.stringify(current) === JSON.stringify(next)) return;
    this.reload();
    const entry = this.data.servers[server];
    if (!entry) return;
    entry.lists = { ...(entry.lists ?? {}), [kind]: next };
    this.save();
  }

  changes(server: string): Map<string, ToolChange> {
    const c = this.data.servers[server]?.changes ?? {};
    return new Map(Object.entries(c).map(([name, v]) => [name, publicChange(v)]));
  }

  /** Every pending change, for health. */
  allChanges(): Array<{ server: string; tool: string; change: ToolChange }> {
    const out: Array<{ server: string; tool: string; change: ToolChange }> = [];
    for (const [server, entry] of Object.entries(this.data.servers)) {
      for (const [tool, c] of Object.entries(entry.changes ?? {})) {
        out.push({ server, tool, change: publicChange(c) });
      }
    }
    return out;
  }

  /**
   * Accepts the current definitions of a server's changed tools (all of them, or only `tools`): they
   * become the baseline later listings are compared with. Returns the tool names accepted.
   */
  accept(server: string, tools?: string[]): string[] {
    this.reload();
    const entry = this.data.servers[server];
    if (!entry?.changes) return [];
    const accepted: string[] = [];
    for (const name of Object.keys(entry.changes)) {
      if (tools && !tools.includes(name)) continue;
      delete entry.changes[name];
      accepted.push(name);
    }
    if (!Object.keys(entry.changes).length) delete entry.changes;
    if (accepted.length) this.save();
    return accepted;
  }

  /** Picks up what other gateways sharing the file wrote since we last looked. */
  private reload(): void {
    const disk = readCacheFile(this.path);
    if (disk) this.data = disk;
  }

  private save(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data));
      renameSync(tmp, this.path);
    } catch {
      // A read-only cache dir only costs discovery before start; never fail a call over it.
    }
  }
}
