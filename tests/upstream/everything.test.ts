import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamConnection, UpstreamError, type UpstreamSpec } from "../../lib/upstream/index.ts";
import {
  EVERYTHING,
  firstText,
  MEMORY,
  type NetworkServer,
  SLOW,
  startEverything,
  waitFor,
} from "./helpers.ts";

/** Connects, checks tools/list and one call, and closes: the same contract over every transport. */
async function roundTrip(spec: UpstreamSpec): Promise<UpstreamConnection> {
  const conn = new UpstreamConnection(spec, { backoff: () => 50 });
  await conn.connect();
  const names = (await conn.listTools()).map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(["echo", "get-sum", "get-env"]));
  expect(firstText(await conn.callTool("get-sum", { a: 2, b: 40 }))).toContain("is 42");
  expect(firstText(await conn.callTool("echo", { message: "hi" }))).toBe("Echo: hi");
  const health = conn.health();
  expect(health.state).toBe("connected");
  expect(health.protocolVersion).toBe("2025-11-25");
  expect(health.serverInfo?.name).toBeTruthy();
  expect(health.toolCount).toBe(names.length);
  return conn;
}

describe("server-everything over stdio", () => {
  const canary = `canary-${process.pid}-${Date.now()}`;
  let conn: UpstreamConnection;

  beforeAll(() => {
    process.env.SECRET_CANARY = canary;
  }, SLOW);
  afterAll(async () => {
    delete process.env.SECRET_CANARY;
    await conn?.close();
  });

  it(
    "lists and calls tools",
    async () => {
      conn = await roundTrip({
        name: "everything",
        transport: "stdio",
        command: "node",
        args: [EVERYTHING, "stdio"],
        env: { MY_SETTING: "from-spec" },
      });
    },
    SLOW,
  );

  it(
    "the child sees its own env and the safe base, never the parent's secrets",
    async () => {
      const env = JSON.parse(firstText(await conn.callTool("get-env"))) as Record<string, string>;
      expect(process.env.SECRET_CANARY).toBe(canary);
      expect(env.SECRET_CANARY).toBeUndefined();
      expect(JSON.stringify(env)).not.toContain(canary);
      expect(env.MY_SETTING).toBe("from-spec");
      expect(env.PATH).toBe(process.env.PATH);
    },
    SLOW,
  );

  it(
    "a tool that does not exist is a protocol-level answer, not a lost connection",
    async () => {
      // The SDK server answers an unknown tool with an isError result.
      const result = await conn.callTool("no-such-tool");
      expect(result.isError).toBe(true);
      expect(firstText(result)).toContain("no-such-tool");
      expect(conn.state).toBe("connected");
    },
    SLOW,
  );
});

describe("server-everything over Streamable HTTP", () => {
  let server: NetworkServer;
  let conn: UpstreamConnection;
  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  it(
    "lists and calls tools",
    async () => {
      server = await startEverything("streamableHttp");
      conn = await roundTrip({
        name: "everything-http",
        transport: "http",
        url: `http://127.0.0.1:${server.port}/mcp`,
        headers: { "X-Test": "1" },
      });
    },
    SLOW,
  );

  it(
    "when the server goes away, calls fail naming it; when it is back, the supervisor reconnects",
    async () => {
      await server.stop();
      const err = await conn.callTool("echo", { message: "x" }).catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.message).toContain("'everything-http'");
      await waitFor(() => conn.state === "reconnecting");
      server = await startEverything("streamableHttp", server.port);
      await waitFor(() => conn.state === "connected");
      expect(firstText(await conn.callTool("echo", { message: "back" }))).toBe("Echo: back");
      expect(conn.health().restarts).toBe(1);
    },
    SLOW,
  );
});

describe("server-everything over legacy SSE", () => {
  let server: NetworkServer;
  let conn: UpstreamConnection;
  beforeAll(async () => {
    server = await startEverything("sse");
  }, SLOW);
  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  it(
    "lists and calls tools",
    async () => {
      conn = await roundTrip({
        name: "everything-sse",
        transport: "sse",
        url: `http://127.0.0.1:${server.port}/sse`,
        headers: {},
      });
    },
    SLOW,
  );
});

describe("server-memory over stdio", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-memory-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "creates and reads back an entity",
    async () => {
      const conn = new UpstreamConnection({
        name: "memory",
        transport: "stdio",
        command: "node",
        args: [MEMORY],
        env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") },
      });
      try {
        await conn.connect();
        const names = (await conn.listTools()).map((t) => t.name);
        expect(names).toEqual(expect.arrayContaining(["create_entities", "read_graph", "search_nodes"]));
        await conn.callTool("create_entities", {
          entities: [{ name: "mcpkit", entityType: "project", observations: ["five servers"] }],
        });
        const graph = await conn.callTool("read_graph");
        expect(JSON.stringify(graph)).toContain("five servers");
      } finally {
        await conn.close();
      }
    },
    SLOW,
  );
});
