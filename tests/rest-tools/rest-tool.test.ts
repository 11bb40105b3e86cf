import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport, Server } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RestToolRow } from "../../lib/core/rest-tools/rest-row.ts";
import {
  type RestToolContext,
  type RestToolOptions,
  restTool,
  restTools,
} from "../../lib/core/rest-tools/rest-tool.ts";
import { resolveHints } from "../../lib/core/tools/annotations.ts";
import { ToolRegistry, type ToolSelection } from "../../lib/core/tools/tool-registry.ts";

/** A tiny REST backend on 127.0.0.1 that records what it is sent and answers by path. */
interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}
let backend: HttpServer;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  backend = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => {
      raw += d.toString();
    });
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      seen.push({
        method: req.method!,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: raw ? JSON.parse(raw) : undefined,
      });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      if (url.pathname === "/empty") return void res.writeHead(204).end();
      if (url.pathname === "/list") return json(200, [1, 2]);
      if (url.pathname.endsWith("/report"))
        return void res.writeHead(200, { "content-type": "text/markdown; charset=utf-8" }).end("# Report");
      if (url.pathname.startsWith("/items")) {
        const offset = Number(url.searchParams.get("offset") ?? 0);
        return json(200, { items: [{ n: offset }, { n: offset + 1 }], total: 5 });
      }
      json(200, { path: url.pathname, secret: "s3cret" });
    });
  });
  await new Promise<void>((r) => backend.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => backend.close(r));
});

interface Ctx extends RestToolContext {
  base: string;
}

/** Options a server would pass: fetch as the client, one-page paging, a redacting presenter. */
const OPTIONS: RestToolOptions<Ctx> = {
  async send(req, ctx) {
    const url = new URL(`${ctx.base}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
    const res = await fetch(url, {
      method: req.method,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
    });
    const text = await res.text();
    const type = res.headers.get("content-type")?.split(";")[0];
    return {
      status: res.status,
      text,
      contentType: type,
      json: req.expect === "json" && type === "application/json" ? JSON.parse(text) : undefined,
    };
  },
  async page({ path, query, item, call }, ctx) {
    const res = await OPTIONS.send(
      { tool: "", method: "GET", path, query, write: false, expect: "json", signal: call.signal },
      ctx,
    );
    const page = res.json as { items: unknown[]; total: number };
    await call.progress(page.items.length, page.total);
    return { items: page.items.map(item ?? ((r) => r)), total: page.total };
  },
  present: (data) => ({
    content: [{ type: "text", text: JSON.stringify(data).replaceAll("s3cret", "<redacted>") }],
    structuredContent: JSON.parse(JSON.stringify(data).replaceAll("s3cret", "<redacted>")),
  }),
};

const strict = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict();
const any = z.looseObject({});

const ROWS: RestToolRow<any>[] = [
  {
    name: "get_thing",
    title: "Get a thing",
    description: "Reads one thing by id.",
    kind: "read",
    method: "GET",
    path: "/things/{id}",
    input: strict({ id: z.string(), verbose: z.boolean().optional(), from_v: z.number().optional() }),
    output: any,
    rename: { from_v: "from" },
  },
  {
    name: "patch_thing",
    title: "Change a thing",
    description: "Partially updates a thing.",
    kind: "write",
    method: "PATCH",
    path: "/things/{id}",
    input: strict({
      id: z.string(),
      label: z.string().nullable().optional(),
      tags: z.array(z.string()).optional(),
    }),
    output: any,
    idempotent: true,
    nullMeansUnchanged: true,
  },
  {
    name: "drop_thing",
    title: "Delete a thing",
    description: "Deletes a thing; answers 204.",
    kind: "write",
    method: "DELETE",
    path: "/empty",
    input: strict({ id: z.string() }),
    output: any,
    destructive: true,
    idempotent: true,
  },
  {
    name: "list_numbers",
    title: "Numbers",
    description: "A JSON array, not an object.",
    kind: "read",
    method: "GET",
    path: "/list",
    input: strict({}),
    output: any,
    openWorld: true,
  },
  {
    name: "report",
    title: "Report",
    description: "JSON by default, markdown on request.",
    kind: "read",
    method: "GET",
    path: "/runs/{run}/report",
    input: strict({ run: z.string(), format: z.enum(["json", "md"]).default("json") }),
    output: any,
    textFormats: ["md"],
  },
  {
    name: "list_items",
    title: "Items",
    description: "A paged collection.",
    kind: "read",
    method: "GET",
    path: "/items",
    input: strict({ q: z.string().optional(), alias: z.string().optional(), offset: z.number().optional() }),
    output: z.looseObject({ items: z.array(z.unknown()), total: z.number() }),
    paged: true,
    fields: (args) => ({ q: args.q ?? args.alias, offset: args.offset }),
    item: (row) => ({ ...(row as object), shaped: true }),
  },
  {
    name: "shaped_thing",
    title: "Shaped",
    description: "A row with its own shaping.",
    kind: "read",
    method: "GET",
    path: "/things/{id}",
    input: strict({ id: z.string() }),
    output: any,
    shape: (body, args) => ({ id: args.id, keys: Object.keys(body as object) }),
  },
];

async function serve(selection: ToolSelection<Ctx> = {}, rows = ROWS) {
  const registry = new ToolRegistry<Ctx>(restTools(rows, OPTIONS), { context: (call) => ({ call, base }) });
  const server = new Server({ name: "t", version: "1" }, { capabilities: {} });
  registry.install(server, selection);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "c", version: "1" });
  await client.connect(b);
  return client;
}

describe("REST-tool factory: rows become tools", () => {
  it("derives all four hints from the row's class; openWorld falls back to the server's default", () => {
    const hints = (name: string, openWorld?: boolean) =>
      resolveHints(restTool(ROWS.find((r) => r.name === name)!, { ...OPTIONS, openWorld }).hints);
    expect(hints("get_thing")).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(hints("get_thing", true).openWorldHint).toBe(true);
    expect(hints("list_numbers", false).openWorldHint).toBe(true);
    expect(hints("patch_thing")).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(hints("drop_thing")).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it("refuses rows it cannot serve when it builds them", () => {
    const row = ROWS[0]!;
    expect(() => restTool({ ...row, path: "/things/{thing_id}" }, OPTIONS)).toThrow(/thing_id/);
    const { page: _none, ...noPaging } = OPTIONS;
    expect(() => restTool(ROWS.find((r) => r.paged)!, noPaging)).toThrow(/paging strategy/);
  });

  it("lists in table order with strict input schemas", async () => {
    const client = await serve();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(ROWS.map((r) => r.name));
    expect(tools[0]!.inputSchema.additionalProperties).toBe(false);
    await client.close();
  });
});

describe("REST-tool factory: requests and results against a real HTTP backend", () => {
  it("fills and encodes the path, renames query fields, presents the JSON body", async () => {
    const client = await serve();
    const r = await client.callTool({
      name: "get_thing",
      arguments: { id: "a b", verbose: true, from_v: 2 },
    });
    expect(seen.at(-1)).toMatchObject({
      method: "GET",
      path: "/things/a%20b",
      query: { verbose: "true", from: "2" },
    });
    expect(r.structuredContent).toEqual({ path: "/things/a%20b", secret: "<redacted>" });
    await client.close();
  });

  it("sends a body for PATCH without the null ('unchanged') and omitted fields", async () => {
    const client = await serve();
    await client.callTool({ name: "patch_thing", arguments: { id: "t1", label: null, tags: [] } });
    expect(seen.at(-1)).toMatchObject({ method: "PATCH", path: "/things/t1", body: { tags: [] } });
    await client.close();
  });

  it("a 204 says ok with the arguments; a JSON array comes as {result}; a row's shape wins", async () => {
    const client = await serve();
    expect(
      (await client.callTool({ name: "drop_thing", arguments: { id: "t9" } })).structuredContent,
    ).toEqual({
      ok: true,
      id: "t9",
    });
    expect((await client.callTool({ name: "list_numbers", arguments: {} })).structuredContent).toEqual({
      result: [1, 2],
    });
    expect(
      (await client.callTool({ name: "shaped_thing", arguments: { id: "x" } })).structuredContent,
    ).toEqual({
      id: "x",
      keys: ["path", "secret"],
    });
    await client.close();
  });

  it("a text format comes back as content with its media type; JSON otherwise", async () => {
    const client = await serve();
    const md = await client.callTool({ name: "report", arguments: { run: "r1", format: "md" } });
    expect(md.structuredContent).toEqual({
      run: "r1",
      format: "md",
      content_type: "text/markdown",
      content: "# Report",
    });
    expect(seen.at(-1)!.query).toEqual({ format: "md" });
    await client.close();
  });

  it("a paged row hands path, fields and its item shaping to the server's strategy (with progress)", async () => {
    const client = await serve();
    const progress: number[] = [];
    const r = await client.callTool(
      { name: "list_items", arguments: { alias: "x", offset: 3 } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(seen.at(-1)).toMatchObject({ path: "/items", query: { q: "x", offset: "3" } });
    expect(r.structuredContent).toEqual({
      items: [
        { n: 3, shaped: true },
        { n: 4, shaped: true },
      ],
      total: 5,
    });
    expect(progress).toEqual([2]);
    await client.close();
  });

  it("refuses a dot segment in the path before anything is sent", async () => {
    const client = await serve();
    const before = seen.length;
    for (const id of ["..", ".", ""]) {
      const r = await client.callTool({ name: "get_thing", arguments: { id } });
      expect(r.isError, id).toBe(true);
      expect(JSON.stringify(r.content)).toContain("nothing was sent");
    }
    expect(seen.length).toBe(before);
    await client.close();
  });
});

describe("ToolSelection.refuse (listed, but calls refused)", () => {
  it("keeps the tool listed, validates arguments first, then refuses without running it", async () => {
    const client = await serve({ refuse: (t) => (t.name === "patch_thing" ? "writes are off" : undefined) });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("patch_thing");
    const before = seen.length;
    const bad = await client.callTool({ name: "patch_thing", arguments: { id: "t1", nope: 1 } });
    expect(JSON.stringify(bad.content)).toContain("unknown argument 'nope'");
    const refused = await client.callTool({ name: "patch_thing", arguments: { id: "t1" } });
    expect(refused).toMatchObject({ isError: true, content: [{ type: "text", text: "writes are off" }] });
    expect(seen.length).toBe(before);
    const read = await client.callTool({ name: "get_thing", arguments: { id: "t1" } });
    expect(read.isError).toBeFalsy();
    await client.close();
  });
});
