import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ServerApp } from "../../lib/core/app.ts";
import { createLogger } from "../../lib/core/log.ts";
import { defineTool, structuredResult, type ToolCall } from "../../lib/core/tools/define-tool.ts";
import { start } from "../../lib/servers/ptm/index.ts";
import { TOOL_NAMES } from "../../lib/servers/ptm/tool-inventory.ts";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";

// A host (the conformance fixtures) can add tools and resources to every instance the app makes; the
// production CLI adds none. Checked in process: extensions are not reachable from the command line.

let backend: FakePtm;
let app: ServerApp;
beforeAll(async () => {
  backend = await startFakePtm();
  // ptm scrubs the process environment at start-up; give the test runner's back afterwards.
  const saved = { ...process.env };
  try {
    app = await start({
      options: {},
      env: { PTM_API_BASE_URL: backend.url, PTM_API_TOKEN: backend.token, PTM_CF_AUTO_DISCOVER: "false" },
      log: createLogger({ level: "silent" }),
      version: "0.0.0",
      transport: "stdio",
    });
  } finally {
    Object.assign(process.env, saved);
  }
});
afterAll(async () => {
  await app?.close();
  await backend?.close();
});

const fixture = defineTool<ToolCall>()({
  name: "fixture_echo",
  title: "Fixture echo",
  description: "Says which tool ran (a host's addition).",
  input: z.object({}).strict(),
  hints: "read",
  handler: (_args, call) => structuredResult({ ran: call.name }),
});

async function connect(app: ServerApp, withExtensions: boolean): Promise<Client> {
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
}

describe("ptm createServer(extensions)", () => {
  it("lists a host's tools after the 24 and adds its resources to ptm's templates", async () => {
    const extended = await connect(app, true);
    expect((await extended.listTools()).tools.map((t) => t.name)).toEqual([...TOOL_NAMES, "fixture_echo"]);
    expect((await extended.callTool({ name: "fixture_echo", arguments: {} })).structuredContent).toEqual({
      ran: "fixture_echo",
    });
    expect((await extended.readResource({ uri: "fixture://note" })).contents[0]).toMatchObject({
      text: "note",
    });
    expect((await extended.listResourceTemplates()).resourceTemplates).toHaveLength(5);
    const prompt = await extended.readResource({ uri: "ptm://prompts/team.summarizer" });
    expect(prompt.contents[0]).toMatchObject({ text: "Summarize: {{text}}" });
    await extended.close();

    const plain = await connect(app, false);
    expect((await plain.listTools()).tools.map((t) => t.name)).toEqual(TOOL_NAMES);
    expect((await plain.listResources()).resources).toEqual([]);
    await plain.close();
  });
});
