import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ServerApp } from "../../lib/core/app.ts";
import { createLogger } from "../../lib/core/log.ts";
import { defineTool, structuredResult, type ToolCall } from "../../lib/core/tools/define-tool.ts";
import { start } from "../../lib/servers/trueppm/index.ts";
import type { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { makeToken, ONE_CALL_EACH, startFake } from "./helpers.ts";

// A host (the conformance fixtures) can add tools and resources to every instance the app makes; the
// production CLI adds none. Checked in process: extensions are not reachable from the command line.

const TOKEN = makeToken("extensions");
let fake: FakeTrueppm;
let app: ServerApp;
beforeAll(async () => {
  fake = await startFake({ [TOKEN]: undefined });
  app = await start({
    options: {},
    env: { TRUEPPM_API_URL: fake.origin, TRUEPPM_API_TOKEN: TOKEN },
    log: createLogger({ level: "silent" }),
    version: "0.0.0",
    transport: "stdio",
  });
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

const fixture = defineTool<ToolCall>()({
  name: "fixture_echo",
  title: "Fixture echo",
  description: "Says which tool ran (a host's addition).",
  input: z.object({}).strict(),
  hints: "read",
  handler: (_args, call) => structuredResult({ ran: call.name }),
});

describe("trueppm createServer(extensions)", () => {
  it("lists a host's tools after the 18 and registers its resources; without extensions, neither", async () => {
    const connect = async (withExtensions: boolean) => {
      const server = app.createServer(
        withExtensions
          ? {
              tools: [fixture],
              register: (s) =>
                s.registerResource("fixture", "fixture://note", { mimeType: "text/plain" }, (uri) => ({
                  contents: [{ uri: uri.href, text: "note" }],
                })),
            }
          : undefined,
      );
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(a);
      const client = new Client({ name: "c", version: "1" });
      await client.connect(b);
      return client;
    };
    const extended = await connect(true);
    const names = (await extended.listTools()).tools.map((t) => t.name);
    expect(names).toEqual([...ONE_CALL_EACH.map(([n]) => n), "fixture_echo"]);
    expect((await extended.callTool({ name: "fixture_echo", arguments: {} })).structuredContent).toEqual({
      ran: "fixture_echo",
    });
    expect((await extended.readResource({ uri: "fixture://note" })).contents[0]).toMatchObject({
      text: "note",
    });
    const whoami = await extended.callTool({ name: "whoami", arguments: {} });
    expect(whoami.structuredContent).toMatchObject({ username: "ada" });
    await extended.close();

    const plain = await connect(false);
    expect((await plain.listTools()).tools).toHaveLength(18);
    expect(plain.getServerCapabilities()?.resources).toBeUndefined();
    await plain.close();
  });
});
