import { Bm25Index } from "./search/bm25.ts";
import { normalizeName } from "./search/tokenize.ts";
import { RISK_ORDER, type Risk, type ToolRecord, toolId } from "./types.ts";

export interface CatalogQuery {
  query?: string;
  server?: string;
  tags?: string[];
  riskMax?: Exclude<Risk, "unknown">;
  limit: number;
  includeOffline: boolean;
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
const EXACT_BOOST = 100;
const PREFIX_BOOST = 20;

/**
 * Every tool the gateway knows: live tools of started servers and cached descriptions of the rest.
 * The search index is rebuilt lazily after a change, once per revision.
 */
export class Catalog {
  private readonly live = new Map<string, ToolRecord[]>();
  private cached = new Map<string, ToolRecord[]>();
  private revision = 0;
  private indexed?: { revision: number; index: Bm25Index };

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

  get toolCount(): number {
    let n = 0;
    for (const tools of this.live.values()) n += tools.length;
    return n;
  }

  /** Live tools, plus cached ones of servers that are not live (a live entry wins on the same id). */
  private pool(includeOffline: boolean): ToolRecord[] {
    const out: ToolRecord[] = [];
    for (const tools of this.live.values()) out.push(...tools);
    if (includeOffline) {
      for (const [server, tools] of this.cached) if (!this.live.has(server)) out.push(...tools);
    }
    return out;
  }

  private index(): Bm25Index {
    if (this.indexed?.revision !== this.revision) {
      const docs = this.pool(true).map((r) => ({
        id: toolId(r.server, r.name),
        fields: {
          name: `${r.name} ${r.title ?? ""}`,
          tags: r.tags.join(" "),
          params: r.params.join(" "),
          description: r.description,
        },
      }));
      this.indexed = { revision: this.revision, index: new Bm25Index(docs, FIELD_WEIGHTS) };
    }
    return this.indexed.index;
  }

  search(q: CatalogQuery): CatalogResult {
    let tools = this.pool(q.includeOffline).filter((t) => q.allowed(t.server, t.name));
    const total = tools.length;
    if (q.server) tools = tools.filter((t) => t.server === q.server);
    if (q.tags?.length) tools = tools.filter((t) => t.tags.some((tag) => q.tags!.includes(tag)));
    if (q.riskMax) {
      const max = RISK_ORDER[q.riskMax];
      tools = tools.filter((t) => RISK_ORDER[t.risk] <= max);
    }
    const query = q.query?.trim();
    let ranked: ToolRecord[];
    if (query) {
      const scores = this.index().score(query);
      const nq = normalizeName(query);
      const scored: Array<{ t: ToolRecord; s: number }> = [];
      for (const t of tools) {
        const id = toolId(t.server, t.name);
        let s = scores.get(id) ?? 0;
        const nn = normalizeName(t.name);
        if (nn === nq || normalizeName(id) === nq) s += EXACT_BOOST;
        else if (nq.length >= 3 && nn.startsWith(nq)) s += PREFIX_BOOST;
        if (s > 0) scored.push({ t, s });
      }
      scored.sort((a, b) => b.s - a.s || cmpId(a.t, b.t));
      ranked = scored.map((x) => x.t);
    } else {
      ranked = [...tools].sort(cmpId);
    }
    return { results: ranked.slice(0, q.limit), total, truncated: ranked.length > q.limit };
  }
}

function cmpId(a: ToolRecord, b: ToolRecord): number {
  return a.server < b.server ? -1 : a.server > b.server ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
