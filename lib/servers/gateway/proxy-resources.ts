import type {
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Server,
} from "@modelcontextprotocol/server";
import { ProtocolErrorCode, UriTemplate } from "@modelcontextprotocol/server";
import type { GatewayCore } from "./core.ts";
import type { OwnLayer } from "./own-layer.ts";
import {
  ByteBudget,
  type DownstreamLists,
  downstreamError,
  downstreamLists,
  failedMeta,
  type Gathered,
  paginate,
  RESOURCE_NOT_FOUND,
  RpcError,
  requestOptions,
  some,
} from "./proxy-shared.ts";

/**
 * Resource proxying. A downstream resource keeps its own URI when no other listed server (nor the
 * gateway itself) offers the same URI; otherwise every copy is listed under the namespaced form
 * `pmcp://server/<server>/<original uri>` (server name percent-encoded), which always routes to that
 * server and is accepted for any resource, listed or not. Templates follow the same rule, so expanding
 * a namespaced template yields a namespaced URI. A bare URI is routed by the last listing, then by
 * matching the servers' templates; one offered by several servers is an error naming the namespaced forms.
 */
export const NAMESPACE = "pmcp://server/";

export function namespacedUri(server: string, uri: string): string {
  return `${NAMESPACE}${encodeURIComponent(server)}/${uri}`;
}

export function parseNamespaced(uri: string): Route | undefined {
  if (!uri.startsWith(NAMESPACE)) return undefined;
  const rest = uri.slice(NAMESPACE.length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return undefined;
  try {
    return { server: decodeURIComponent(rest.slice(0, slash)), uri: rest.slice(slash + 1) };
  } catch {
    return undefined;
  }
}

interface Route {
  server: string;
  uri: string;
}

interface ResourceSnapshot {
  listed: Resource[];
  routes: Map<string, Route>;
  /** Bare URIs offered by more than one server: reading one asks for a namespaced form. */
  shared: Map<string, string[]>;
  /** URIs a server lists but the policy's resources section hides, for a precise error. */
  denied: Set<string>;
  failed: Gathered<unknown>["failed"];
}

interface TemplateSnapshot {
  listed: ResourceTemplateType[];
  matchers: Array<{ server: string; template: string; matcher: UriTemplate }>;
  failed: Gathered<unknown>["failed"];
}

/** Groups items by an identifying string (URI or URI template) across servers: which servers offer each. */
function owners<T>(
  perServer: Array<{ server: string; items: T[] }>,
  key: (item: T) => string,
  reserved: string[],
) {
  const by = new Map<string, Set<string>>();
  for (const uri of reserved) by.set(uri, new Set(["(gateway)"]));
  for (const { server, items } of perServer) {
    for (const item of items) {
      const k = key(item);
      const set = by.get(k) ?? new Set<string>();
      set.add(server);
      by.set(k, set);
    }
  }
  return by;
}

const withServer = (meta: Record<string, unknown> | undefined, server: string, original?: string) => ({
  ...(meta ?? {}),
  "mcpkit/server": server,
  ...(original !== undefined ? { "mcpkit/uri": original } : {}),
});

/** What the gateway itself serves on one instance (OwnLayer). */
export interface OwnResources {
  resources: Resource[];
  templates: ResourceTemplateType[];
}

class ResourceProxy {
  last?: ResourceSnapshot;
  lastTemplates?: TemplateSnapshot;

  constructor(
    private readonly core: GatewayCore,
    readonly lists: DownstreamLists,
  ) {}

  /** Downstream resources; `reserved` are the gateway's own URIs, which downstream copies never shadow. */
  async resources(fresh: boolean, reserved: string[], signal?: AbortSignal): Promise<ResourceSnapshot> {
    const g = await this.lists.gather<Resource>("resources", fresh, signal);
    const denied = new Set<string>();
    const perServer = g.perServer.map(({ server, items }) => {
      const seen = new Set<string>();
      const kept = items.filter((r) => {
        if (typeof r?.uri !== "string" || seen.has(r.uri)) return false;
        seen.add(r.uri);
        if (this.core.policy.downstreamResourceAllowed(server, r.uri)) return true;
        denied.add(r.uri);
        return false;
      });
      return { server, items: kept };
    });
    const by = owners(perServer, (r) => r.uri, reserved);
    const listed: Resource[] = [];
    const routes = new Map<string, Route>();
    const shared = new Map<string, string[]>();
    for (const { server, items } of perServer) {
      for (const r of items) {
        const servers = by.get(r.uri)!;
        const isShared = servers.size > 1;
        const uri = isShared ? namespacedUri(server, r.uri) : r.uri;
        if (isShared)
          shared.set(
            r.uri,
            [...servers].filter((s) => s !== "(gateway)"),
          );
        listed.push({ ...r, uri, _meta: withServer(r._meta, server, isShared ? r.uri : undefined) });
        routes.set(uri, { server, uri: r.uri });
      }
    }
    for (const uri of routes.keys()) denied.delete(uri);
    this.last = { listed, routes, shared, denied, failed: g.failed };
    return this.last;
  }

  async templates(fresh: boolean, reserved: string[], signal?: AbortSignal): Promise<TemplateSnapshot> {
    const g = await this.lists.gather<ResourceTemplateType>("templates", fresh, signal);
    const perServer = g.perServer.map(({ server, items }) => ({
      server,
      items: items.filter(
        (t) =>
          typeof t?.uriTemplate === "string" &&
          this.core.policy.downstreamResourceAllowed(server, t.uriTemplate),
      ),
    }));
    const by = owners(perServer, (t) => t.uriTemplate, reserved);
    const listed: ResourceTemplateType[] = [];
    const matchers: TemplateSnapshot["matchers"] = [];
    for (const { server, items } of perServer) {
      for (const t of items) {
        const isShared = by.get(t.uriTemplate)!.size > 1;
        const uriTemplate = isShared ? namespacedUri(server, t.uriTemplate) : t.uriTemplate;
        listed.push({
          ...t,
          uriTemplate,
          _meta: withServer(t._meta, server, isShared ? t.uriTemplate : undefined),
        });
        try {
          matchers.push({ server, template: t.uriTemplate, matcher: new UriTemplate(t.uriTemplate) });
        } catch {
          // A template the SDK cannot parse is still listed; only its namespaced form routes.
        }
      }
    }
    this.lastTemplates = { listed, matchers, failed: g.failed };
    return this.lastTemplates;
  }

  /** Which server (and which of its URIs) a client's URI means. */
  private async route(uri: string, own: OwnResources, signal?: AbortSignal): Promise<Route> {
    const ns = parseNamespaced(uri);
    if (ns) {
      if (!this.core.policy.serverAllowed(ns.server)) {
        throw new RpcError(RESOURCE_NOT_FOUND, `server '${ns.server}' is denied by policy`, { uri });
      }
      if (!this.core.servers.get(ns.server)) {
        throw new RpcError(
          RESOURCE_NOT_FOUND,
          `resource '${uri}' names server '${ns.server}', which is not configured; servers: ${some(this.core.servers.all().map((e) => e.name))}`,
          { uri },
        );
      }
      return ns;
    }
    let snap = this.last;
    let route = snap?.routes.get(uri);
    if (!route) {
      snap = await this.resources(
        false,
        own.resources.map((r) => r.uri),
        signal,
      );
      route = snap.routes.get(uri);
    }
    if (route) return route;
    const sharing = snap!.shared.get(uri);
    if (sharing) {
      throw new RpcError(
        ProtocolErrorCode.InvalidParams,
        `resource '${uri}' is offered by servers ${sharing.join(", ")}; read one of: ${sharing.map((s) => namespacedUri(s, uri)).join(", ")}`,
        { uri },
      );
    }
    const templates =
      this.lastTemplates ??
      (await this.templates(
        false,
        own.templates.map((t) => t.uriTemplate),
        signal,
      ));
    const hits = [...new Set(templates.matchers.filter((m) => m.matcher.match(uri)).map((m) => m.server))];
    if (hits.length === 1) return { server: hits[0]!, uri };
    if (hits.length > 1) {
      throw new RpcError(
        ProtocolErrorCode.InvalidParams,
        `resource '${uri}' matches templates of servers ${hits.join(", ")}; read one of: ${hits.map((s) => namespacedUri(s, uri)).join(", ")}`,
        { uri },
      );
    }
    if (snap!.denied.has(uri)) {
      throw new RpcError(RESOURCE_NOT_FOUND, `resource '${uri}' is denied by policy (resources section)`, {
        uri,
      });
    }
    const started = this.lists.visible().map((e) => e.name);
    throw new RpcError(
      RESOURCE_NOT_FOUND,
      `unknown resource '${uri}'. Resources: ${some([...own.resources, ...snap!.listed].map((r) => r.uri))}; templates: ${some([...own.templates, ...templates.listed].map((t) => t.uriTemplate))}; started servers: ${some(started)}`,
      { uri },
    );
  }

  async read(uri: string, own: OwnResources, signal?: AbortSignal): Promise<ReadResourceResult> {
    const route = await this.route(uri, own, signal);
    if (!this.core.policy.downstreamResourceAllowed(route.server, route.uri)) {
      throw new RpcError(
        RESOURCE_NOT_FOUND,
        `resource '${route.uri}' of server '${route.server}' is denied by policy`,
        { uri },
      );
    }
    const client = await this.lists.client(route.server);
    let result: ReadResourceResult;
    try {
      result = await client.readResource({ uri: route.uri }, requestOptions(this.core, route.server, signal));
    } catch (err) {
      throw downstreamError(route.server, `resources/read '${route.uri}'`, err);
    }
    return this.finish(result, uri, route);
  }

  /** Redacts and caps the contents; a namespaced request gets its own URI back on the matching contents. */
  private finish(result: ReadResourceResult, asked: string, route: Route): ReadResourceResult {
    const budget = new ByteBudget(this.core.policy.limits.max_output_bytes, (s) =>
      this.core.redactor.redact(s),
    );
    const contents = (result.contents ?? []).map((c) => {
      const uri = asked !== route.uri && c.uri === route.uri ? asked : c.uri;
      if ("text" in c && typeof c.text === "string") return { ...c, uri, text: budget.text(c.text) };
      if ("blob" in c && typeof c.blob === "string") {
        if (budget.blob(c.blob)) return { ...c, uri };
        return { uri, mimeType: "text/plain", text: budget.note(`blob ${c.uri}`, c.blob) };
      }
      return { ...c, uri };
    }) as ReadResourceResult["contents"];
    return {
      ...result,
      contents,
      _meta: withServer(
        budget.truncated ? { ...(result._meta ?? {}), "mcpkit/truncated": true } : result._meta,
        route.server,
      ),
    };
  }
}

const perCore = new WeakMap<GatewayCore, ResourceProxy>();

/** The one resource proxy of a core (its routes and last listings are shared by every instance). */
export function resourceProxy(core: GatewayCore): ResourceProxy {
  let proxy = perCore.get(core);
  if (!proxy) {
    proxy = new ResourceProxy(core, downstreamLists(core));
    perCore.set(core, proxy);
  }
  return proxy;
}

/**
 * Serves resources/list, resources/templates/list and resources/read on one server instance: the
 * gateway's own resources first (OwnLayer), then those of every started downstream, paged by PAGE_SIZE.
 */
export function installResourceProxy(server: Server, core: GatewayCore, own: OwnLayer): void {
  const p = resourceProxy(core);
  server.registerCapabilities({ resources: { listChanged: true } });
  const mine = async (): Promise<OwnResources> => {
    const [resources, templates] = await Promise.all([own.resources(), own.templates()]);
    return { resources, templates };
  };
  server.setRequestHandler("resources/list", async (req, extra) => {
    const cursor = req.params?.cursor;
    const ours = await own.resources();
    const snap =
      cursor !== undefined && p.last
        ? p.last
        : await p.resources(
            true,
            ours.map((r) => r.uri),
            extra.mcpReq.signal,
          );
    const { page, nextCursor } = paginate([...ours, ...snap.listed], cursor, "resources");
    return { resources: page, ...(nextCursor ? { nextCursor } : {}), ...failedMeta(snap.failed) };
  });
  server.setRequestHandler("resources/templates/list", async (req, extra) => {
    const cursor = req.params?.cursor;
    const ours = await own.templates();
    const snap =
      cursor !== undefined && p.lastTemplates
        ? p.lastTemplates
        : await p.templates(
            true,
            ours.map((t) => t.uriTemplate),
            extra.mcpReq.signal,
          );
    const { page, nextCursor } = paginate([...ours, ...snap.listed], cursor, "templates");
    return { resourceTemplates: page, ...(nextCursor ? { nextCursor } : {}), ...failedMeta(snap.failed) };
  });
  server.setRequestHandler("resources/read", async (req, extra) => {
    const uri = req.params.uri;
    const answer = await own.read(uri);
    if (answer) return answer;
    return p.read(uri, await mine(), extra.mcpReq.signal);
  });
}
