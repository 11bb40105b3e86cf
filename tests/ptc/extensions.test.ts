// ptc over an in-process ToolSource, served to real SDK clients of both eras: a 2025-era session over the
// in-memory transport and 2026-07-28 requests through createMcpHandler (one server instance per request),
// with a host's extensions (extra tools after ptc's three, resources on the instance).
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createMcpHandler, InMemoryTransport, type McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ServerExtensions } from "../../lib/core/app.ts";
import { defineTool, type ToolCall, textResult } from "../../lib/core/tools/define-tool.ts";
import { createPtcApp } from "../../lib/servers/ptc/index.ts";
import type { ToolSource } from "../../lib/servers/ptc/types.ts";

const source: ToolSource = {
  tools: () => [
    {
      server: "calc",
      name: "add",
      description: "Adds a and b",
      inputSchema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
    },
  ],
  servers: () => [{ name: "calc", connected: true, tools: 1 }],
  call: async (_server, _tool, args) => textResult(String(Number(args.a) + Number(args.b))),
};
const app = createPtcApp({ source, version: "0.0.0-test" });
afterAll(() => app.close());

const extensions: ServerExtensions = {
  tools: [
    defineTool<ToolCall>()({
      name: "host_ping",
      title: "Ping",
      description: "A tool the host adds",
      input: z.object({}).strict(),
      hints: "read",
      handler: () => textResult("pong"),
    }),
  ],
  register: (server: McpServer) =>
    server.registerResource("host-note", "host://note", { mimeType: "text/plain" }, (uri) => ({
      contents: [{ uri: uri.href, text: "from the host" }],
    })),
};

async function check(client: Client) {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual([
    "list_callable_tools",
    "inspect_tool",
    "execute_program",
    "host_ping",
  ]);
  const ping = await client.callTool({ name: "host_ping", arguments: {} });
  expect(ping.content).toEqual([{ type: "text", text: "pong" }]);
  const run = await client.callTool({
    name: "execute_program",
    arguments: { code: "console.log(await mcp__calc__add({ a: 2, b: 40 }))" },
  });
  expect((run.structuredContent as { output: string }).output).toBe("42\n");
  const { resources } = await client.listResources();
  expect(resources.map((r) => r.uri)).toEqual(["host://note"]);
  const bad = await client.callTool({ name: "inspect_tool", arguments: { tool_name: 1 } });
  expect(bad.isError).toBe(true);
}

describe("ptc with a host's extensions, both eras", () => {
  it("2025-era session", async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await app.createServer(extensions).connect(serverSide);
    const client = new Client({ name: "t", version: "0" });
    await client.connect(clientSide);
    try {
      await check(client);
    } finally {
      await client.close();
    }
  }, 30_000);

  it("2026-07-28, one instance per request", async () => {
    const handler = createMcpHandler(() => app.createServer(extensions), { legacy: "reject" });
    const client = new Client(
      { name: "t", version: "0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL("http://ptc.test/mcp"), {
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      }),
    );
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
      await check(client);
    } finally {
      await client.close();
      await handler.close();
    }
  }, 30_000);
});
