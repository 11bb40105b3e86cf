import { Bm25Index } from "./search/bm25.ts";
import { normalizeName } from "./search/tokenize.ts";
import { RISK_ORDER, type Risk, type ToolRecord, toolId } from "./types.ts";

export interface CatalogQuery {
  query?: string;
  server?: string;
  tags?: string[];
  riskMax?: Exclude<Risk, "unknown">;
  limit: number;
  /** Also cached cards of servers that are not configured (`known`), e.g. removed or provisioned earlier. */
  includeOffline: boolean;
  /** Servers whose cached cards are searched by default: the configured ones. */
  known?: (server: string) => boolean;
  /** Policy filter: false hides the tool everywhere. */
  allowed: (server: string, tool: string) => boolean;
}

export interface CatalogResult {
  results: ToolRecord[];
  /** Tools visible before query and filters narrowed them. */
  total: number;
  truncated: boolean;
}

const FIELD_WEIGHTS = { name: 3, tags: 1.5, params: 1.5, description: 1 };

/** A record's normalised name and id, computed once per record (records are replaced, never mutated). */
const keys = new WeakMap<ToolRecord, { name: string; normId: string }>();
function keysOf(t: ToolRecord): { name: string; normId: string } {
  let k = keys.get(t);
  if (!k) {
    k = { name: normalizeName(t.name), normId: normalizeName(toolId(t.server, t.name)) };
    keys.set(t, k);
  }
  return k;
}
const EXACT_BOOST = 100;
const PREFIX_BOOST = 20;

/**
 * Every tool the gateway knows: tools listed by this process (live records, with schemas) and cached
 * descriptions from earlier listings (no schemas). A listed record wins over a cached one of the same
 * server. The search index is rebuilt lazily after a change, once per revision.
 */
export class Catalog {
  private readonly live = new Map<string, ToolRecord[]>();
  private cached = new Map<string, ToolRecord[]>();
  private revision = 0;
  private indexed?: { revision: number; index: Bm25Index; position: Map<ToolRecord, number> };

  setLive(server: string, tools: ToolRecord[]): void {
    this.live.set(server, tools);
    this.revision++;
  }

  dropLive(server: string): void {
    if (this.live.delete(server)) this.revision++;
  }

  setCached(servers: Map<string, ToolRecord[]>): void {
    this.cached = servers;
    this.revision++;
  }

  setCachedServer(server: string, tools: ToolRecord[]): void {
    this.cached.set(server, tools);
    this.revision++;
  }

  isLive(server: string): boolean {
    return this.live.has(server);
  }

  liveTools(server: string): ToolRecord[] {
    return this.live.get(server) ?? [];
  }

  cachedTools(server: string): ToolRecord[] {
    return this.cached.get(server) ?? [];
  }

  cachedServers(): string[] {
    return [...this.cached.keys()];
  }

  get(server: string, tool: string): ToolRecord | undefined {
    return this.live.get(server)?.find((t) => t.name === tool);
  }

  /** The freshest record of a tool: listed by this process, else cached. */
  find(server: string, tool: string): ToolRecord | undefined {
    return this.get(server, tool) ?? this.cached.get(server)?.find((t) => t.name === tool);
  }

  /** Whether anything (listed or cached) is known about the server's tools. */
  knows(server: string): boolean {
    return this.live.has(server) || (this.cached.get(server)?.length ?? 0) > 0;
  }

  get toolCount(): number {
    let n = 0;
    for (const tools of this.live.values()) n += tools.length;
    return n;
  }

  /**
   * Live tools, plus cached ones of servers that are not live: those of known servers always, the
   * others with `includeOffline`.
   */
  private pool(includeOffline: boolean, known?: (server: string) => boolean): ToolRecord[] {
    const out: ToolRecord[] = [];
    for (const tools of this.live.values()) out.push(...tools);
    for (const [server, tools] of this.cached) {
      if (this.live.has(server)) continue;
      if (includeOffline || known?.(server)) out.push(...tools);
    }
    return out;
  }

  private index(): { index: Bm25Index; position: Map<ToolRecord, number> } {
    if (this.indexed?.revision !== this.revision) {
      const records = this.pool(true);
      const position = new Map(records.map((r, i) => [r, i] as const));
      const docs = records.map((r) => ({
        id: toolId(r.server, r.name),
        fields: {
          name: `${r.name} ${r.title ?? ""}`,
          tags: r.tags.join(" "),
          params: r.params.join(" "),
          description: r.description,
        },
      }));
      this.indexed = { revision: this.revision, index: new Bm25Index(docs, FIELD_WEIGHTS), position };
    }
    return this.indexed;
  }

  search(q: CatalogQuery): CatalogResult {
    let tools = this.pool(q.includeOffline, q.known).filter((t) => q.allowed(t.server, t.name));
    const total = tools.length;
    if (q.server) tools = tools.filter((t) => t.server === q.server);
    if (q.tags?.length) tools = tools.filter((t) => t.tags.some((tag) => q.tags!.includes(tag)));
    if (q.riskMax) {
      const max = RISK_ORDER[q.riskMax];
      tools = tools.filter((t) => RISK_ORDER[t.risk] <= max);
    }
    const query = q.query?.trim();
    if (!query) {
      const ranked = [...tools].sort(cmpId);
      return { results: ranked.slice(0, q.limit), total, truncated: ranked.length > q.limit };
    }
    const { index, position } = this.index();
    const scores = index.scoreByIndex(query);
    const nq = normalizeName(query);
    // Only the best `limit` matches are kept, in order, so a query that matches thousands of tools never
    // sorts them all.
    const top: Scored[] = [];
    let matches = 0;
    for (const t of tools) {
      const k = keysOf(t);
      const at = position.get(t);
      let s = at === undefined ? 0 : scores[at]!;
      if (k.name === nq || k.normId === nq) s += EXACT_BOOST;
      else if (nq.length >= 3 && k.name.startsWith(nq)) s += PREFIX_BOOST;
      if (s <= 0) continue;
      matches++;
      insertTop(top, { t, s }, q.limit);
    }
    return { results: top.map((x) => x.t), total, truncated: matches > q.limit };
  }
}

interface Scored {
  t: ToolRecord;
  s: number;
}

const better = (a: Scored, b: Scored) => a.s > b.s || (a.s === b.s && cmpId(a.t, b.t) < 0);

/** Inserts `item` into `top` (best first), keeping at most `limit` entries. */
function insertTop(top: Scored[], item: Scored, limit: number): void {
  if (limit <= 0) return;
  if (top.length === limit && !better(item, top[limit - 1]!)) return;
  let lo = 0;
  let hi = top.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (better(top[mid]!, item)) lo = mid + 1;
    else hi = mid;
  }
  top.splice(lo, 0, item);
  if (top.length > limit) top.pop();
}

function cmpId(a: ToolRecord, b: ToolRecord): number {
  return a.server < b.server ? -1 : a.server > b.server ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
