// The gateway between clients and downstream servers of either protocol era: 2025-era and 2026-07-28
// clients, over stdio and HTTP, invoking downstreams configured with protocol 2025 (default), 2026 and
// auto. Calls, progress, cancellation, errors and list changes go through in both directions.
import { join, resolve } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpProcess, mcpkitCommand, ROOT, startHttp, waitFor } from "../helpers/mcpkit.ts";
import { call, EVERYTHING, MEMORY, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 90_000;
const V2 = resolve(ROOT, "tests/fixtures/upstream/v2-server.mjs");
const s = scratch();
let config: string;
let http: HttpProcess | undefined;
const clients: Client[] = [];

beforeAll(() => {
  config = writeJson(join(s.dir, "eras.mcp.json"), {
    mcpServers: {
      v2auto: { command: "node", args: [V2], protocol: "auto" },
      v2pin: { command: "node", args: [V2, "--modern-only"], protocol: "2026" },
      v2old: { command: "node", args: [V2] },
      everything: { command: "node", args: [EVERYTHING, "stdio"] },
      memory: { command: "node", args: [MEMORY], protocol: "auto" },
    },
  });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await http?.stop();
}, TIMEOUT);

type Era = "2025" | "2026";

function newClient(era: Era): Client {
  const client = new Client(
    { name: "eras-test", version: "0" },
    era === "2026" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  clients.push(client);
  return client;
}

async function overStdio(era: Era): Promise<Client> {
  const cmd = mcpkitCommand();
  const client = newClient(era);
  await client.connect(
    new StdioClientTransport({
      command: cmd.command,
      args: [...cmd.args, "gateway", "--config", config],
      env: s.env(),
      cwd: s.dir,
      stderr: "pipe",
    }),
  );
  return client;
}

async function overHttp(era: Era): Promise<Client> {
  http ??= await startHttp(["gateway", "--config", config, "--transport", "http", "--port", "0"], {
    env: s.env(),
    cwd: s.dir,
  });
  const client = newClient(era);
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  return client;
}

const text = (c: Awaited<ReturnType<typeof call>>) => c.text;

for (const [transport, era] of [
  ["stdio", "2025"],
  ["stdio", "2026"],
  ["http", "2025"],
  ["http", "2026"],
] as const) {
  describe(`a ${era}-era client over ${transport}`, () => {
    let client: Client;
    const tag = `${transport}${era}`;

    beforeAll(async () => {
      client = transport === "stdio" ? await overStdio(era) : await overHttp(era);
    }, TIMEOUT);

    it(
      "speaks its own era with the gateway, and the gateway each downstream's",
      async () => {
        expect(client.getNegotiatedProtocolVersion()).toBe(era === "2026" ? "2026-07-28" : "2025-11-25");
        const eraOf = async (server: string) =>
          text(await call(client, "invoke", { tool_id: `${server}::era` }));
        expect(await eraOf("v2auto")).toContain("2026-07-28");
        expect(await eraOf("v2pin")).toContain("2026-07-28");
        expect(await eraOf("v2old")).toContain("2025-11-25");
        const echo = await call(client, "invoke", {
          tool_id: "everything::echo",
          arguments: { message: tag },
        });
        expect(echo.text).toContain(`Echo: ${tag}`);
        const graph = await call(client, "invoke", { tool_id: "memory::read_graph" });
        expect(graph.isError).toBe(false);
        const health = await call(client, "health");
        const rows = Object.fromEntries(
          (health.data.servers as Array<{ name: string; protocol_version?: string }>).map((r) => [
            r.name,
            r.protocol_version,
          ]),
        );
        expect(rows).toMatchObject({
          v2auto: "2026-07-28",
          v2pin: "2026-07-28",
          v2old: "2025-11-25",
          memory: "2025-11-25",
        });
      },
      TIMEOUT,
    );

    it(
      "a downstream's failure comes back as the invoke's error result, naming it",
      async () => {
        for (const server of ["v2pin", "v2old"]) {
          const failed = await call(client, "invoke", { tool_id: `${server}::fail` });
          expect(failed.isError).toBe(true);
          expect(failed.text).toContain("the fixture failed on purpose");
          expect(failed.data).toMatchObject({ ok: false, tool_id: `${server}::fail` });
        }
      },
      TIMEOUT,
    );

    it(
      "relays a 2026-07-28 downstream's progress, and a cancelled invoke reaches it",
      async () => {
        const progress: unknown[] = [];
        const done = await call(
          client,
          "invoke",
          { tool_id: "v2pin::slow", arguments: { steps: 4, ms: 150 } },
          { onprogress: (p) => progress.push(p) },
        );
        expect(done.text).toContain("done after 4 steps");
        expect(progress.length).toBeGreaterThan(0);
        const controller = new AbortController();
        const pending = client.callTool(
          {
            name: "gateway_invoke",
            arguments: { tool_id: "v2pin::slow", arguments: { steps: 400, ms: 25 } },
          },
          {
            signal: controller.signal,
            timeout: 60_000,
            onprogress: () => controller.abort(new Error("enough")),
          },
        );
        await expect(pending).rejects.toThrow();
        await waitFor(async () => {
          const seen = await call(client, "invoke", { tool_id: "v2pin::cancelled" });
          return seen.text.includes("slow at");
        }, 20_000);
      },
      TIMEOUT,
    );

    it(
      "a downstream's list changes reach the gateway: new tools are searchable, new resources announced",
      async () => {
        const announced = new Promise<void>((res) =>
          client.setNotificationHandler("notifications/resources/list_changed", () => res()),
        );
        const subscription = era === "2026" ? await client.listen({ resourcesListChanged: true }) : undefined;
        await call(client, "invoke", { tool_id: "v2pin::add_tool", arguments: { name: `fresh_${tag}` } });
        await waitFor(async () => {
          const found = await call(client, "catalog_search", { query: `fresh_${tag}` });
          return JSON.stringify(found.data).includes(`v2pin::fresh_${tag}`);
        }, 20_000);
        await call(client, "invoke", {
          tool_id: "v2pin::add_resource",
          arguments: { uri: `v2://notes/${tag}` },
        });
        await announced;
        await subscription?.close();
        const { resources } = await client.listResources();
        expect(resources.map((r) => r.uri)).toContain(`v2://notes/${tag}`);
      },
      TIMEOUT,
    );
  });
}
