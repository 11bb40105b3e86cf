import type { GetPromptResult, Prompt, Server } from "@modelcontextprotocol/server";
import { ProtocolErrorCode } from "@modelcontextprotocol/server";
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
  RpcError,
  requestOptions,
  some,
} from "./proxy-shared.ts";

/**
 * Prompt proxying. Every downstream prompt is listed as `<server>__<prompt>`, each part with characters
 * outside [A-Za-z0-9_-] replaced by "_" (clients turn prompt names into slash commands); two prompts
 * that would still end up with the same name get "_2", "_3", ... in table order. prompts/get routes by
 * the table of the last listing, never by parsing, so every listed name round-trips.
 */
const UNSAFE = /[^A-Za-z0-9_-]/g;
const safe = (s: string) => s.replace(UNSAFE, "_");

export function promptName(server: string, prompt: string): string {
  return `${safe(server)}__${safe(prompt)}`;
}

interface Route {
  server: string;
  name: string;
}

interface PromptSnapshot {
  listed: Prompt[];
  routes: Map<string, Route>;
  denied: Set<string>;
  failed: Gathered<unknown>["failed"];
}

type Block = Record<string, unknown> & { type: string };

class PromptProxy {
  last?: PromptSnapshot;

  constructor(
    private readonly core: GatewayCore,
    readonly lists: DownstreamLists,
  ) {}

  async prompts(fresh: boolean, signal?: AbortSignal): Promise<PromptSnapshot> {
    const g = await this.lists.gather<Prompt>("prompts", fresh, signal);
    const listed: Prompt[] = [];
    const routes = new Map<string, Route>();
    const denied = new Set<string>();
    for (const { server, items } of g.perServer) {
      const seen = new Set<string>();
      for (const p of items) {
        if (typeof p?.name !== "string" || seen.has(p.name)) continue;
        seen.add(p.name);
        if (!this.core.policy.promptAllowed(server, p.name)) {
          denied.add(promptName(server, p.name));
          continue;
        }
        let name = promptName(server, p.name);
        if (routes.has(name)) {
          let i = 2;
          while (routes.has(`${name}_${i}`)) i++;
          name = `${name}_${i}`;
        }
        routes.set(name, { server, name: p.name });
        listed.push({
          ...p,
          name,
          title: `${p.title ?? p.name} (${server})`,
          _meta: { ...(p._meta ?? {}), "mcpkit/server": server, "mcpkit/name": p.name },
        });
      }
    }
    for (const n of routes.keys()) denied.delete(n);
    this.last = { listed, routes, denied, failed: g.failed };
    return this.last;
  }

  private async route(name: string, signal?: AbortSignal): Promise<Route> {
    let snap = this.last;
    let route = snap?.routes.get(name);
    if (!route) {
      snap = await this.prompts(false, signal);
      route = snap.routes.get(name);
    }
    if (route) return route;
    // A name with the prefix of a configured server that is not started: start it, then look again.
    const sleeping = this.core.servers
      .all()
      .filter(
        (e) =>
          name.startsWith(`${safe(e.name)}__`) &&
          e.conn?.state !== "connected" &&
          this.core.policy.serverAllowed(e.name),
      )
      .sort((a, b) => b.name.length - a.name.length)[0];
    if (sleeping) {
      await this.lists.client(sleeping.name);
      snap = await this.prompts(true, signal);
      route = snap.routes.get(name);
      if (route) return route;
    }
    if (snap!.denied.has(name)) {
      throw new RpcError(
        ProtocolErrorCode.InvalidParams,
        `prompt '${name}' is denied by policy (prompts section)`,
        {
          name,
        },
      );
    }
    throw new RpcError(
      ProtocolErrorCode.InvalidParams,
      `unknown prompt '${name}'. Prompts: ${some(
        snap!.listed.map((p) => p.name),
        20,
      )}; started servers: ${some(this.lists.visible().map((e) => e.name))}`,
      { name },
    );
  }

  async get(name: string, args: Record<string, string> | undefined, signal?: AbortSignal) {
    const route = await this.route(name, signal);
    if (!this.core.policy.promptAllowed(route.server, route.name)) {
      throw new RpcError(ProtocolErrorCode.InvalidParams, `prompt '${name}' is denied by policy`, { name });
    }
    const client = await this.lists.client(route.server);
    let result: GetPromptResult;
    try {
      result = await client.getPrompt(
        { name: route.name, ...(args ? { arguments: args } : {}) },
        requestOptions(this.core, route.server, signal),
      );
    } catch (err) {
      throw downstreamError(route.server, `prompts/get '${route.name}'`, err);
    }
    return this.finish(result, route.server);
  }

  /** Redacts the messages (as invoke output is) and caps them at limits.max_output_bytes. */
  private finish(result: GetPromptResult, server: string): GetPromptResult {
    const redactor = this.core.redactor;
    const budget = new ByteBudget(this.core.policy.limits.max_output_bytes, (s) => redactor.redact(s));
    const messages = (result.messages ?? []).map((m) => ({
      ...m,
      content: this.block(m.content as Block, budget),
    })) as GetPromptResult["messages"];
    return {
      ...result,
      ...(result.description !== undefined ? { description: redactor.redact(result.description) } : {}),
      messages,
      _meta: {
        ...(result._meta ?? {}),
        "mcpkit/server": server,
        ...(budget.truncated ? { "mcpkit/truncated": true } : {}),
      },
    };
  }

  private block(b: Block, budget: ByteBudget): Block {
    if (b.type === "text" && typeof b.text === "string") return { ...b, text: budget.text(b.text) };
    if ((b.type === "image" || b.type === "audio") && typeof b.data === "string") {
      return budget.blob(b.data) ? b : { type: "text", text: budget.note(b.type, b.data) };
    }
    if (b.type === "resource" && b.resource && typeof b.resource === "object") {
      const r = b.resource as Record<string, unknown>;
      if (typeof r.text === "string") return { ...b, resource: { ...r, text: budget.text(r.text) } };
      if (typeof r.blob === "string" && !budget.blob(r.blob))
        return { type: "text", text: budget.note(`resource ${String(r.uri)}`, r.blob) };
      return b;
    }
    return this.core.redactor.redactValue(b);
  }
}

const perCore = new WeakMap<GatewayCore, PromptProxy>();

/** The one prompt proxy of a core (its routes and last listing are shared by every instance). */
export function promptProxy(core: GatewayCore): PromptProxy {
  let proxy = perCore.get(core);
  if (!proxy) {
    proxy = new PromptProxy(core, downstreamLists(core));
    perCore.set(core, proxy);
  }
  return proxy;
}

/**
 * Serves prompts/list and prompts/get on one server instance: the gateway's own prompts (OwnLayer)
 * first under their own names, then those of every started downstream, paged.
 */
export function installPromptProxy(server: Server, core: GatewayCore, own: OwnLayer): void {
  const p = promptProxy(core);
  server.registerCapabilities({ prompts: { listChanged: true } });
  server.setRequestHandler("prompts/list", async (req, extra) => {
    const cursor = req.params?.cursor;
    const ours = await own.prompts();
    const snap = cursor !== undefined && p.last ? p.last : await p.prompts(true, extra.mcpReq.signal);
    const { page, nextCursor } = paginate([...ours, ...snap.listed], cursor, "prompts");
    return { prompts: page, ...(nextCursor ? { nextCursor } : {}), ...failedMeta(snap.failed) };
  });
  server.setRequestHandler("prompts/get", async (req, extra) => {
    const { name, arguments: args } = req.params;
    const answer = await own.get(name, args);
    if (answer) return answer;
    return p.get(name, args, extra.mcpReq.signal);
  });
}
