// A host's extensions (ServerExtensions: what `npm run conformance` adds) on a real gateway app, served
// to real SDK clients in process: a 2025-era session over the in-memory transport and 2026-07-28
// requests through createMcpHandler, where every request builds its own server instance.
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  completable,
  createMcpHandler,
  InMemoryTransport,
  type McpServer,
  ResourceTemplate,
} from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ServerApp, ServerExtensions } from "../../lib/core/app.ts";
import { createLogger } from "../../lib/core/log.ts";
import { defineTool, type ToolCall, textResult } from "../../lib/core/tools/define-tool.ts";
import { start } from "../../lib/servers/gateway/index.ts";
import { EVERYTHING, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;
const s = scratch();
let app: ServerApp;

const hostTool = defineTool<ToolCall>()({
  name: "host_echo",
  title: "Host echo",
  description: "A tool the host adds",
  input: z.object({ text: z.string() }).strict(),
  hints: "read",
  handler: ({ text }) => textResult(`host: ${text}`),
});

function register(server: McpServer): void {
  server.registerResource("host-note", "host://note", { mimeType: "text/plain" }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: "a note from the host" }],
  }));
  server.registerResource(
    "host-item",
    new ResourceTemplate("host://item/{id}", { list: undefined }),
    { mimeType: "text/plain" },
    (uri, { id }) => ({ contents: [{ uri: uri.href, text: `item ${String(id)}` }] }),
  );
  server.registerPrompt(
    "host_prompt",
    {
      description: "A prompt the host adds",
      argsSchema: z.object({
        city: completable(z.string(), (v) => ["paris", "park"].filter((c) => c.startsWith(v ?? ""))),
      }),
    },
    ({ city }) => ({ messages: [{ role: "user", content: { type: "text", text: `visit ${city}` } }] }),
  );
}

const extensions: ServerExtensions = { tools: [hostTool], register };

beforeAll(async () => {
  const config = writeJson(join(s.dir, "cfg.mcp.json"), {
    mcpServers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } },
  });
  app = await start({
    options: { config },
    env: s.env(),
    log: createLogger({ level: "silent" }),
    version: "0.0.0-test",
    transport: "stdio",
  });
}, TIMEOUT);

afterAll(async () => {
  await app?.close();
}, TIMEOUT);

async function session(): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await app.createServer(extensions).connect(serverSide);
  const client = new Client({ name: "t", version: "0" });
  await client.connect(clientSide);
  return client;
}

async function stateless(): Promise<{ client: Client; close(): Promise<void> }> {
  const handler = createMcpHandler(() => app.createServer(extensions), { legacy: "reject" });
  const transport = new StreamableHTTPClientTransport(new URL("http://gateway.test/mcp"), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  });
  const client = new Client(
    { name: "t", version: "0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await client.close();
      await handler.close();
    },
  };
}

function text(r: unknown): string {
  return ((r as { content: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? "").join("\n");
}

async function checkExtensions(client: Client) {
  const { tools } = await client.listTools();
  expect(tools).toHaveLength(17);
  expect(tools.at(-1)!.name).toBe("host_echo");
  expect(text(await client.callTool({ name: "host_echo", arguments: { text: "hi" } }))).toBe("host: hi");
  const invoked = await client.callTool({
    name: "gateway_invoke",
    arguments: { tool_id: "everything::echo", arguments: { message: "through" } },
  });
  expect(text(invoked)).toContain("through");

  // The gateway's own layer first: its guide, then the host's resource; downstream items after them.
  const { resources } = await client.listResources();
  expect(resources.slice(0, 2).map((r) => r.uri)).toEqual(["pmcp://guidance/code-execution", "host://note"]);
  const note = await client.readResource({ uri: "host://note" });
  expect(note.contents[0]).toMatchObject({ text: "a note from the host" });
  const item = await client.readResource({ uri: "host://item/7" });
  expect(item.contents[0]).toMatchObject({ text: "item 7" });
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates[0]!.uriTemplate).toBe("host://item/{id}");

  const { prompts } = await client.listPrompts();
  expect(prompts[0]!.name).toBe("host_prompt");
  const got = await client.getPrompt({ name: "host_prompt", arguments: { city: "rome" } });
  expect(got.messages[0]!.content).toMatchObject({ text: "visit rome" });
  const completion = await client.complete({
    ref: { type: "ref/prompt", name: "host_prompt" },
    argument: { name: "city", value: "pa" },
  });
  expect(completion.completion.values).toEqual(["paris", "park"]);
}

describe("a host's extensions on the gateway", () => {
  it(
    "2025-era session: extra tools after the meta-tools, the host's resources and prompts in the own layer",
    async () => {
      const client = await session();
      try {
        expect(client.getServerCapabilities()?.completions).toBeDefined();
        await checkExtensions(client);
      } finally {
        await client.close();
      }
    },
    TIMEOUT,
  );

  it(
    "2026-07-28, one server instance per request: the same answers",
    async () => {
      const { client, close } = await stateless();
      try {
        expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
        await checkExtensions(client);
        // Cache hints: the meta-tools never change while the gateway runs; resource and prompt lists
        // follow downstream servers starting and stopping.
        const hints = (r: object) => {
          const { ttlMs, cacheScope } = r as { ttlMs?: number; cacheScope?: string };
          return { ttlMs, cacheScope };
        };
        const fresh = { cacheMode: "bypass" } as const;
        expect(hints(await client.listTools(undefined, fresh))).toEqual({
          ttlMs: 3_600_000,
          cacheScope: "public",
        });
        expect(hints(await client.listResources(undefined, fresh))).toEqual({
          ttlMs: 5_000,
          cacheScope: "private",
        });
        expect(hints(await client.listPrompts(undefined, fresh))).toEqual({
          ttlMs: 5_000,
          cacheScope: "private",
        });
      } finally {
        await close();
      }
    },
    TIMEOUT,
  );

  it(
    "without extensions there is no host layer: no completions, only the guide of its own",
    async () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await app.createServer().connect(serverSide);
      const client = new Client({ name: "t", version: "0" });
      await client.connect(clientSide);
      try {
        expect(client.getServerCapabilities()?.completions).toBeUndefined();
        expect((await client.listTools()).tools).toHaveLength(16);
        const { resources } = await client.listResources();
        expect(resources.filter((r) => r.uri.startsWith("host://"))).toEqual([]);
        expect(resources[0]!.uri).toBe("pmcp://guidance/code-execution");
      } finally {
        await client.close();
      }
    },
    TIMEOUT,
  );
});
