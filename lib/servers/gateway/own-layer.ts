import { Client } from "@modelcontextprotocol/client";
import type {
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  ServerCapabilities,
} from "@modelcontextprotocol/server";
import { InMemoryTransport, McpServer, UriTemplate } from "@modelcontextprotocol/server";
import type { GatewayCore } from "./core.ts";
import { codeExecutionGuide, GUIDE_URI } from "./guidance.ts";

/** A resource the gateway serves from its own code. */
interface StaticResource {
  listing: Resource;
  read(): ReadResourceResult;
}

/** The L3 methodology guide, unless guidance is off or the policy hides it. */
function guideResource(core: GatewayCore): StaticResource | undefined {
  if (!core.guidanceLayers.methodology_resource || !core.policy.resourceAllowed(GUIDE_URI)) return undefined;
  return {
    listing: {
      uri: GUIDE_URI,
      name: "code-execution-guide",
      title: "Code Execution Guide",
      description: "How to use the gateway: search -> describe -> invoke, and one program for many calls",
      mimeType: "text/markdown",
    },
    read: () => ({
      contents: [
        {
          uri: GUIDE_URI,
          mimeType: "text/markdown",
          text: codeExecutionGuide(
            core.toolNames,
            core.servers.all().map((e) => e.name),
          ),
        },
      ],
    }),
  };
}

/** One warning per gateway about tools registered where they are not served. */
const warnedHostTools = new WeakSet<GatewayCore>();

const matches = (template: string, uri: string) => {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false;
  }
};

/**
 * What one gateway server instance serves itself, listed ahead of every downstream item: the guide
 * resource, and whatever a host adds through `ServerExtensions.register` (the conformance fixtures).
 * A host registers on an McpServer of its own, never connected to a client: the gateway reaches it
 * through an in-process client the first time a list or read needs it, so the SDK's McpServer keeps
 * all its semantics (argument schemas, completions, template list callbacks) without any of its
 * handlers being layered under the gateway's.
 */
export class OwnLayer {
  private readonly statics: StaticResource[];
  private readonly host?: McpServer;
  private hostClient?: Promise<Client>;

  constructor(core: GatewayCore, register?: (server: McpServer) => void) {
    const guide = guideResource(core);
    this.statics = guide ? [guide] : [];
    if (register) {
      this.host = new McpServer({ name: "mcpkit-gateway-host", version: core.opts.ctx.version });
      register(this.host);
      if (this.host.server.getCapabilities().tools && !warnedHostTools.has(core)) {
        warnedHostTools.add(core);
        core.log.warn(
          "tools a host registers on its McpServer are not served; pass them as extensions.tools",
        );
      }
    }
  }

  /** Capabilities the host's server declares beyond what the gateway has (completions, subscribe). */
  hostCapabilities(): ServerCapabilities {
    return this.host?.server.getCapabilities() ?? {};
  }

  private offers(kind: "resources" | "prompts" | "completions"): boolean {
    return Boolean(this.hostCapabilities()[kind]);
  }

  /** The in-process client of the host's server (connected on first use). */
  hostClientFor(kind: "resources" | "prompts" | "completions"): Promise<Client> | undefined {
    if (!this.host || !this.offers(kind)) return undefined;
    this.hostClient ??= (async () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await this.host!.connect(serverSide);
      const client = new Client({ name: "mcpkit-gateway", version: "0" });
      await client.connect(clientSide);
      return client;
    })();
    return this.hostClient;
  }

  async resources(): Promise<Resource[]> {
    const own = this.statics.map((s) => s.listing);
    const client = await this.hostClientFor("resources");
    return client ? [...own, ...(await client.listResources()).resources] : own;
  }

  async templates(): Promise<ResourceTemplateType[]> {
    const client = await this.hostClientFor("resources");
    return client ? (await client.listResourceTemplates()).resourceTemplates : [];
  }

  async prompts(): Promise<Prompt[]> {
    const client = await this.hostClientFor("prompts");
    return client ? (await client.listPrompts()).prompts : [];
  }

  /** Reads one of our own resources; undefined when the URI is not ours. */
  async read(uri: string): Promise<ReadResourceResult | undefined> {
    const own = this.statics.find((s) => s.listing.uri === uri);
    if (own) return own.read();
    const client = await this.hostClientFor("resources");
    if (!client) return undefined;
    const [resources, templates] = await Promise.all([this.resources(), this.templates()]);
    if (!resources.some((r) => r.uri === uri) && !templates.some((t) => matches(t.uriTemplate, uri)))
      return undefined;
    return client.readResource({ uri });
  }

  /** Gets one of our own prompts; undefined when the name is not ours. */
  async get(name: string, args: Record<string, string> | undefined): Promise<GetPromptResult | undefined> {
    const client = await this.hostClientFor("prompts");
    if (!client || !(await this.prompts()).some((p) => p.name === name)) return undefined;
    return client.getPrompt({ name, ...(args ? { arguments: args } : {}) });
  }

  /** Ends the host connection (with the session that owns this layer). */
  async close(): Promise<void> {
    const client = await this.hostClient?.catch(() => undefined);
    await client?.close().catch(() => {});
    await this.host?.close().catch(() => {});
  }
}
