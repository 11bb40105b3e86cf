import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createMcpHandler, InMemoryTransport, Server } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool, structuredResult, ToolError } from "../../lib/core/tools/define-tool.ts";
import { ToolRegistry } from "../../lib/core/tools/tool-registry.ts";

interface Ctx {
  prefix: string;
  call: { signal: AbortSignal; progress(p: number, t?: number): void };
}
const tool = defineTool<Ctx>();

const echo = tool({
  name: "echo",
  title: "Echo",
  description: "Returns its text",
  input: z.object({ text: z.string().describe("what to return") }).strict(),
  output: z.object({ text: z.string() }),
  hints: "read",
  handler: ({ text }, ctx) => {
    ctx.call.progress(1, 1);
    return structuredResult({ text: ctx.prefix + text });
  },
});
const fail = tool({
  name: "fail",
  title: "Fail",
  description: "Always fails",
  input: z.object({}).strict(),
  hints: ["write", { openWorldHint: true }],
  tier: "admin",
  handler: () => {
    throw new ToolError("nothing to do: try echo");
  },
});
const liar = tool({
  name: "liar",
  title: "Liar",
  description: "Returns the wrong shape",
  input: z.object({}).strict(),
  output: z.object({ n: z.number() }),
  hints: "read",
  handler: () => structuredResult({ n: "x" }),
});

function registry() {
  const unexpected: string[] = [];
  const reg = new ToolRegistry<Ctx>([echo, fail, liar], {
    context: (call) => ({ prefix: "> ", call }),
    onUnexpected: (e) => unexpected.push(String(e)),
  });
  return { reg, unexpected };
}

function buildServer(reg: ToolRegistry<Ctx>, hideAdmin = false) {
  const server = new Server({ name: "t", version: "1" }, { capabilities: {} });
  reg.install(server, {
    visible: (t) => !(hideAdmin && t.tier === "admin"),
    refusal: (t) => `tool disabled by policy: ${t.name}`,
  });
  return server;
}

async function connect(server: Server) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "c", version: "1" });
  await client.connect(b);
  return client;
}

describe("ToolRegistry (in process, 2025 era)", () => {
  it("lists in inventory order with resolved hints, JSON schemas without $schema, and output schemas", async () => {
    const { reg } = registry();
    const client = await connect(buildServer(reg));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["echo", "fail", "liar"]);
    expect(tools[0]!.inputSchema).toMatchObject({
      type: "object",
      properties: { text: { type: "string", description: "what to return" } },
      required: ["text"],
      additionalProperties: false,
    });
    expect(JSON.stringify(tools)).not.toContain("$schema");
    expect(tools[1]!.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(tools[0]!.outputSchema).toMatchObject({
      type: "object",
      properties: { text: { type: "string" } },
    });
  });

  it("validates arguments, names unknown ones, runs the handler with the server context, reports progress", async () => {
    const { reg } = registry();
    const client = await connect(buildServer(reg));
    const progress: number[] = [];
    const ok = await client.callTool(
      { name: "echo", arguments: { text: "hi" } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(ok.structuredContent).toEqual({ text: "> hi" });
    expect(progress).toEqual([1]);
    const bad = await client.callTool({ name: "echo", arguments: { text: "hi", loud: true } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain("unknown argument 'loud'");
    const missing = await client.callTool({ name: "echo", arguments: {} });
    expect(JSON.stringify(missing.content)).toMatch(/text:/);
  });

  it("a ToolError is an isError result; a wrong output shape is caught and reported as unexpected", async () => {
    const { reg, unexpected } = registry();
    const client = await connect(buildServer(reg));
    const f = await client.callTool({ name: "fail", arguments: {} });
    expect(f).toMatchObject({ isError: true, content: [{ type: "text", text: "nothing to do: try echo" }] });
    const l = await client.callTool({ name: "liar", arguments: {} });
    expect(l.isError).toBe(true);
    expect(unexpected.join()).toContain("does not match its output schema");
  });

  it("hidden tools are not listed; calling one gets the refusal; an unknown name is -32602", async () => {
    const { reg } = registry();
    const client = await connect(buildServer(reg, true));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["echo", "liar"]);
    const refused = await client.callTool({ name: "fail", arguments: {} });
    expect(refused).toMatchObject({ isError: true, content: [{ text: "tool disabled by policy: fail" }] });
    await expect(client.callTool({ name: "nope", arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });
});

describe("ToolRegistry host extensions", () => {
  it("extra tools are listed after the registry's own and run with the bare call", async () => {
    const { reg } = registry();
    const server = new Server({ name: "t", version: "1" }, { capabilities: {} });
    const fixture = defineTool<{ name: string }>()({
      name: "fixture_echo",
      title: "Fixture",
      description: "Names the tool it runs as",
      input: z.object({}).strict(),
      hints: "read",
      handler: (_args, call) => structuredResult({ ran: call.name }),
    });
    reg.install(server, {}, { extra: [fixture] });
    const client = await connect(server);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      "echo",
      "fail",
      "liar",
      "fixture_echo",
    ]);
    const r = await client.callTool({ name: "fixture_echo", arguments: {} });
    expect(r.structuredContent).toEqual({ ran: "fixture_echo" });
    expect((await client.callTool({ name: "echo", arguments: { text: "a" } })).structuredContent).toEqual({
      text: "> a",
    });
  });
});

describe("ToolRegistry (2026-07-28, stateless per request)", () => {
  it("serves the same registry through createMcpHandler to a client pinned to 2026-07-28", async () => {
    const { reg } = registry();
    const handler = createMcpHandler(() => buildServer(reg));
    const transport = new StreamableHTTPClientTransport(new URL("http://in-process.test/mcp"), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    });
    const client = new Client(
      { name: "c", version: "1" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe("modern");
    expect((await client.listTools()).tools).toHaveLength(3);
    const r = await client.callTool({ name: "echo", arguments: { text: "x" } });
    expect(r.structuredContent).toEqual({ text: "> x" });
    await client.close();
  });
});
