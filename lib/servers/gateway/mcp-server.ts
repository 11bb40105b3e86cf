import type { CacheHint, ServerEventBus, Transport } from "@modelcontextprotocol/server";
import { McpServer } from "@modelcontextprotocol/server";
import type { ServerExtensions } from "../../core/app.ts";
import type { GatewayCore } from "./core.ts";
import { instructions } from "./guidance.ts";
import { OwnLayer } from "./own-layer.ts";
import { installPromptProxy } from "./proxy-prompts.ts";
import { installResourceProxy } from "./proxy-resources.ts";
import { downstreamLists, forwardListChanged } from "./proxy-shared.ts";
import { metaTools } from "./tools/registry.ts";

/**
 * How long a 2026-07-28 client may reuse the gateway's list results. The meta-tools never change
 * while the gateway runs (policy and naming are fixed at start), so tools/list is good for an hour and
 * the same for every caller. Resource and prompt lists follow the downstream servers, which start and
 * stop (lazily, on idle, on refresh) and may send list_changed of their own: a few seconds, and
 * private, since what a caller may see passes through the policy. Reads are not cached.
 */
export const CACHE_HINTS: Record<string, CacheHint> = {
  "tools/list": { ttlMs: 3_600_000, cacheScope: "public" },
  "resources/list": { ttlMs: 5_000, cacheScope: "private" },
  "resources/templates/list": { ttlMs: 5_000, cacheScope: "private" },
  "prompts/list": { ttlMs: 5_000, cacheScope: "private" },
};

/**
 * The gateway's McpServer. While connected to a transport it relays the aggregate list_changed of
 * resources and prompts to its client; an instance that never connects (the SDK builds some only to
 * read their capabilities) never subscribes, so per-request instances leave nothing behind.
 */
class GatewayServer extends McpServer {
  constructor(
    private readonly core: GatewayCore,
    private readonly own: OwnLayer,
  ) {
    const names = core.servers.all().map((e) => e.name);
    super(
      { name: "mcpkit-gateway", title: "mcpkit gateway", version: core.opts.ctx.version },
      {
        instructions: instructions(
          core.guidanceLayers.mcp_instructions ? core.guidance : "off",
          core.toolNames,
          names,
        ),
        capabilities: {},
        cacheHints: CACHE_HINTS,
      },
    );
  }

  override async connect(transport: Transport): Promise<void> {
    await super.connect(transport);
    const off = forwardListChanged(this.server, downstreamLists(this.core));
    const previous = this.server.onclose;
    this.server.onclose = () => {
      off();
      void this.own.close();
      previous?.();
    };
  }
}

/**
 * One server instance over the shared core: per client session (stdio, 2025-era HTTP, SSE) or per
 * request (2026-07-28 over HTTP), so it is cheap to build: the meta-tool registry is built once per
 * gateway and only installed here. A host's extensions add tools after the meta-tools and resources
 * and prompts ahead of the downstream ones.
 */
export function createGatewayServer(core: GatewayCore, extensions?: ServerExtensions): McpServer {
  const own = new OwnLayer(core, extensions?.register);
  const server = new GatewayServer(core, own);
  installResourceProxy(server.server, core, own);
  installPromptProxy(server.server, core, own);
  const { registry, selection } = metaTools(core);
  registry.install(server.server, selection, { extra: extensions?.tools });
  relayHostMethods(server, own);
  return server;
}

/**
 * Methods only a host's own server answers (completions of its prompts, subscriptions to its
 * resources): declared and forwarded when the host declared them.
 */
function relayHostMethods(server: McpServer, own: OwnLayer): void {
  const caps = own.hostCapabilities();
  if (caps.completions) {
    server.server.registerCapabilities({ completions: {} });
    server.server.setRequestHandler("completion/complete", async (req) => {
      const client = await own.hostClientFor("completions");
      return client ? client.complete(req.params) : { completion: { values: [] } };
    });
  }
  if (caps.resources?.subscribe) {
    server.server.registerCapabilities({ resources: { subscribe: true } });
    server.server.setRequestHandler("resources/subscribe", async (req) => {
      await (await own.hostClientFor("resources"))?.subscribeResource(req.params);
      return {};
    });
    server.server.setRequestHandler("resources/unsubscribe", async (req) => {
      await (await own.hostClientFor("resources"))?.unsubscribeResource(req.params);
      return {};
    });
  }
}

/** Publishes the aggregate list changes for 2026-07-28 listen streams served statelessly over HTTP. */
export function publishListChanges(core: GatewayCore, bus: ServerEventBus): () => void {
  return downstreamLists(core).onChange((kind) =>
    bus.publish({ kind: kind === "resources" ? "resources_list_changed" : "prompts_list_changed" }),
  );
}
