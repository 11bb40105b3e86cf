import type { Client } from "@modelcontextprotocol/client";
import type { Server } from "@modelcontextprotocol/server";
import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { errorMessage } from "../../core/errors.ts";
import { DEFAULT_CALL_TIMEOUT_MS, UpstreamError } from "../../upstream/index.ts";
import type { GatewayCore } from "./core.ts";
import type { ServerEntry } from "./server-table.ts";

// Shared machinery of the resource and prompt proxies (proxy-resources.ts, proxy-prompts.ts): which
// downstreams are listed, per-server list caches, list_changed fan-out, pagination, errors, output caps.

export type ListKind = "resources" | "templates" | "prompts";
/** The notification families the gateway sends: templates change with resources. */
export type ChangeKind = "resources" | "prompts";

/** Items per page the gateway serves. */
export const PAGE_SIZE = 100;
/** Bounds on what one downstream contributes to one list: pages followed, items kept. */
const MAX_PAGES = 50;
const MAX_ITEMS = 5_000;
/** Per downstream page request; a hung downstream drops out of the list, the others still answer. */
const LIST_TIMEOUT_MS = 15_000;
/** list_changed notifications from bursts of state changes (a server flapping) are coalesced. */
const NOTIFY_DELAY_MS = 50;
/** MCP's "resource not found" code. */
export const RESOURCE_NOT_FOUND = -32002;

/** A JSON-RPC error whose message reaches the client as written (McpError would prefix "MCP error N:"). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const kindCapability = (kind: ListKind) => (kind === "prompts" ? "prompts" : "resources");

/** Turns a downstream failure into an error naming the server; a downstream's own JSON-RPC code is kept. */
export function downstreamError(server: string, what: string, err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof UpstreamError) return new RpcError(ProtocolErrorCode.InternalError, err.message);
  if (err instanceof ProtocolError) {
    const msg = err.message.replace(/^MCP error -?\d+: /, "");
    return new RpcError(err.code, `server '${server}': ${what} failed: ${msg}`, err.data);
  }
  return new RpcError(
    ProtocolErrorCode.InternalError,
    `server '${server}': ${what} failed: ${errorMessage(err)}`,
  );
}

interface CacheEntry {
  client: Client;
  items: Promise<unknown[]>;
}

export interface ServerItems<T> {
  server: string;
  items: T[];
}

export interface Gathered<T> {
  perServer: ServerItems<T>[];
  /** Servers that could not answer, with why; their items are missing from this listing. */
  failed: Array<{ server: string; error: string }>;
}

/**
 * Which downstreams contribute to resource and prompt lists, and their lists. Servers that are connected
 * now (and allowed by policy) answer themselves; configured servers that are not running contribute what
 * they offered when last listed (the description cache, filled by indexing), so their items do not come
 * and go as they are started and reaped. Nothing is started to answer a list; reading or getting an item
 * starts its server. Each live list is cached per connection and dropped when the server sends
 * list_changed, reconnects or stops; a server that does not promise list_changed is re-read on every
 * first page. Every live listing also refreshes the description cache.
 */
export class DownstreamLists {
  private readonly cache = new Map<string, Map<ListKind, CacheEntry>>();
  private readonly connected = new Set<string>();
  private readonly hooked = new WeakSet<Client>();
  private readonly listeners = new Set<(kind: ChangeKind) => void>();
  private readonly due = new Set<ChangeKind>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly core: GatewayCore) {
    for (const e of core.servers.all()) if (e.conn?.state === "connected") this.connected.add(e.name);
    core.servers.onConnectionState((server, health) => {
      if (health.state === "connected") this.serverUp(server);
      else if (this.connected.has(server)) this.serverDown(server);
    });
  }

  /** Subscribes to "the resources (or prompts) list changed"; returns the unsubscribe. */
  onChange(listener: (kind: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connected, policy-allowed servers, in table order. */
  visible(): ServerEntry[] {
    return this.core.servers
      .all()
      .filter(
        (e) => e.conn?.state === "connected" && e.conn.client && this.core.policy.serverAllowed(e.name),
      );
  }

  /** Whether the server declared the capability a list needs (resources for templates). */
  offers(entry: ServerEntry, kind: ListKind): boolean {
    const caps = entry.conn?.client?.getServerCapabilities();
    return Boolean(caps?.[kindCapability(kind)]);
  }

  /**
   * One kind of list from every visible server, fetched in parallel. `fresh` re-reads servers whose
   * lists cannot be trusted to stay current (no listChanged); a failing server is reported, not thrown.
   */
  async gather<T>(kind: ListKind, fresh: boolean, signal?: AbortSignal): Promise<Gathered<T>> {
    const live = new Set(this.visible());
    const entries = this.core.servers
      .all()
      .filter((e) =>
        live.has(e)
          ? this.offers(e, kind)
          : this.core.policy.serverAllowed(e.name) && this.core.cache.listItems(e.name, kind)?.length,
      );
    const failed: Gathered<T>["failed"] = [];
    const perServer = await Promise.all(
      entries.map(async (entry): Promise<ServerItems<T>> => {
        if (!live.has(entry)) {
          return { server: entry.name, items: (this.core.cache.listItems(entry.name, kind) ?? []) as T[] };
        }
        try {
          return { server: entry.name, items: (await this.items(entry, kind, fresh, signal)) as T[] };
        } catch (err) {
          const error = downstreamError(entry.name, `${listMethod(kind)}`, err).message;
          this.core.log.warn("downstream list failed", { server: entry.name, kind, error });
          failed.push({ server: entry.name, error });
          return { server: entry.name, items: [] };
        }
      }),
    );
    return { perServer, failed };
  }

  /** A connected client for the server, starting it when needed (explicit reads and gets may start one). */
  async client(server: string): Promise<Client> {
    const entry = this.core.servers.get(server);
    if (entry?.conn?.state === "connected" && entry.conn.client) return entry.conn.client;
    try {
      const { entry: started } = await this.core.ensureServer(server);
      const client = started.conn?.client;
      if (!client) throw new Error("not connected");
      return client;
    } catch (err) {
      throw new RpcError(
        ProtocolErrorCode.InternalError,
        errorMessage(err).includes(server) ? errorMessage(err) : `server '${server}': ${errorMessage(err)}`,
      );
    }
  }

  private items(entry: ServerEntry, kind: ListKind, fresh: boolean, signal?: AbortSignal) {
    const client = entry.conn?.client;
    if (!client) return Promise.reject(new Error("not connected"));
    this.hook(entry.name, client);
    let byKind = this.cache.get(entry.name);
    if (!byKind) {
      byKind = new Map();
      this.cache.set(entry.name, byKind);
    }
    const cached = byKind.get(kind);
    const trusted = Boolean(
      (client.getServerCapabilities()?.[kindCapability(kind)] as { listChanged?: boolean } | undefined)
        ?.listChanged,
    );
    if (cached && cached.client === client && (trusted || !fresh)) return cached.items;
    const items = fetchAll(client, kind, signal);
    const slot: CacheEntry = { client, items };
    byKind.set(kind, slot);
    items.then(
      (list) => this.core.cache.setList(entry.name, kind, list),
      () => {
        if (byKind.get(kind) === slot) byKind.delete(kind);
      },
    );
    return items;
  }

  /** Downstream list_changed notifications drop our copy and are passed on to our clients. */
  private hook(server: string, client: Client): void {
    if (this.hooked.has(client)) return;
    this.hooked.add(client);
    client.setNotificationHandler("notifications/resources/list_changed", async () => {
      this.drop(server, "resources");
      this.drop(server, "templates");
      this.notify("resources");
    });
    client.setNotificationHandler("notifications/prompts/list_changed", async () => {
      this.drop(server, "prompts");
      this.notify("prompts");
    });
  }

  private drop(server: string, kind?: ListKind): void {
    if (kind) this.cache.get(server)?.delete(kind);
    else this.cache.delete(server);
  }

  private serverUp(server: string): void {
    this.connected.add(server);
    this.drop(server);
    const entry = this.core.servers.get(server);
    const client = entry?.conn?.client;
    if (!entry || !client) return;
    this.hook(server, client);
    if (!this.core.policy.serverAllowed(server)) return;
    if (this.offers(entry, "resources")) this.notify("resources");
    if (this.offers(entry, "prompts")) this.notify("prompts");
  }

  private serverDown(server: string): void {
    this.connected.delete(server);
    this.drop(server);
    this.notify("resources");
    this.notify("prompts");
  }

  private notify(kind: ChangeKind): void {
    this.due.add(kind);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const kinds = [...this.due];
      this.due.clear();
      for (const k of kinds) for (const listener of this.listeners) listener(k);
    }, NOTIFY_DELAY_MS);
    this.timer.unref?.();
  }
}

/** Options for one read/get sent to a downstream: its call timeout and the client's cancellation. */
export function requestOptions(core: GatewayCore, server: string, signal?: AbortSignal) {
  const timeout = core.servers.get(server)?.raw.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  return { timeout, ...(signal ? { signal } : {}) };
}

/** At most `n` names, then "(+k more)". */
export function some(names: string[], n = 10): string {
  if (names.length === 0) return "none";
  return names.slice(0, n).join(", ") + (names.length > n ? ` (+${names.length - n} more)` : "");
}

function listMethod(kind: ListKind): string {
  return kind === "templates" ? "resources/templates/list" : `${kind}/list`;
}

/** Every page of one list, bounded by MAX_PAGES and MAX_ITEMS; a repeated cursor ends the walk. */
export async function fetchAll(client: Client, kind: ListKind, signal?: AbortSignal): Promise<unknown[]> {
  const out: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && out.length < MAX_ITEMS; page++) {
    const params = cursor ? { cursor } : {};
    // Our own per-connection cache decides when to re-read (list_changed, no listChanged promise).
    const opts = { timeout: LIST_TIMEOUT_MS, cacheMode: "refresh" as const, ...(signal ? { signal } : {}) };
    let items: unknown[];
    let next: string | undefined;
    if (kind === "resources") {
      const r = await client.listResources(params, opts);
      items = r.resources;
      next = r.nextCursor;
    } else if (kind === "templates") {
      const r = await client.listResourceTemplates(params, opts);
      items = r.resourceTemplates;
      next = r.nextCursor;
    } else {
      const r = await client.listPrompts(params, opts);
      items = r.prompts;
      next = r.nextCursor;
    }
    out.push(...items);
    if (!next || seen.has(next)) break;
    seen.add(next);
    cursor = next;
  }
  return out.slice(0, MAX_ITEMS);
}

/** The one DownstreamLists of a core (shared by every client session). */
const perCore = new WeakMap<GatewayCore, DownstreamLists>();
export function downstreamLists(core: GatewayCore): DownstreamLists {
  let lists = perCore.get(core);
  if (!lists) {
    lists = new DownstreamLists(core);
    perCore.set(core, lists);
  }
  return lists;
}

/**
 * Tells one connected server instance whenever the aggregate resource or prompt list changes (2025-era
 * sessions get the notification; on a 2026-07-28 stdio connection the SDK routes it to the client's
 * subscriptions/listen stream). Returns the unsubscribe, called when the instance closes.
 */
export function forwardListChanged(server: Server, lists: DownstreamLists): () => void {
  return lists.onChange((kind) => {
    const send = kind === "resources" ? server.sendResourceListChanged() : server.sendPromptListChanged();
    // Before initialize completes, or once the instance has closed, there is no one to tell.
    send.catch(() => {});
  });
}

// ---- pagination ------------------------------------------------------------------------------------

/** One page of an aggregate list; the cursor is opaque to clients (kind and offset). */
export function paginate<T>(
  items: T[],
  cursor: string | undefined,
  kind: ListKind,
): { page: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const m = /^(\w+):(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!m || m[1] !== kind)
      throw new RpcError(ProtocolErrorCode.InvalidParams, `invalid cursor for ${kind}`);
    offset = Number(m[2]);
  }
  const page = items.slice(offset, offset + PAGE_SIZE);
  const end = offset + page.length;
  return end < items.length
    ? { page, nextCursor: Buffer.from(`${kind}:${end}`, "utf8").toString("base64url") }
    : { page };
}

/** `_meta` that reports servers missing from a listing, if any. */
export function failedMeta(failed: Gathered<unknown>["failed"]): { _meta?: Record<string, unknown> } {
  return failed.length ? { _meta: { "mcpkit/unavailable": failed } } : {};
}

// ---- output caps -----------------------------------------------------------------------------------

const enc = new TextEncoder();
const byteLength = (s: string) => enc.encode(s).length;
const blobBytes = (b64: string) => Math.floor((b64.length * 3) / 4);

function cut(text: string, max: number): string {
  const b = enc.encode(text);
  if (b.length <= max) return text;
  return new TextDecoder().decode(b.subarray(0, Math.max(0, max))).replace(/\uFFFD+$/, "");
}

/**
 * A byte budget shared, in order, by the texts and blobs of one resources/read or prompts/get answer
 * (limits.max_output_bytes). Text is redacted, then cut with a marker; a blob that does not fit is
 * replaced by a note saying so.
 */
export class ByteBudget {
  truncated = false;
  constructor(
    private left: number,
    private readonly redact: (s: string) => string,
  ) {}

  text(raw: string): string {
    const clean = this.redact(raw);
    const size = byteLength(clean);
    if (size <= this.left) {
      this.left -= size;
      return clean;
    }
    this.truncated = true;
    const kept = cut(clean, this.left - 120);
    this.left = 0;
    return `${kept}\n[... output truncated: ${size} bytes -> ${byteLength(kept)} bytes (policy limits.max_output_bytes) ...]`;
  }

  /** True when a blob of this base64 length fits (and is charged); false means replace it with a note. */
  blob(b64: string): boolean {
    const size = blobBytes(b64);
    if (size <= this.left) {
      this.left -= size;
      return true;
    }
    this.truncated = true;
    return false;
  }

  note(what: string, b64: string): string {
    return `[${what} omitted: ${blobBytes(b64)} bytes exceeds the output cap (policy limits.max_output_bytes)]`;
  }
}
