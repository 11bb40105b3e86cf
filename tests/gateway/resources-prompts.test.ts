import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, waitFor } from "../helpers/mcpkit.ts";
import { call, EVERYTHING, type GatewaySession, openGateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 60_000;
const FIXTURE = resolve(ROOT, "tests/fixtures/gateway/resources-server.mjs");
const GUIDE = "pmcp://guidance/code-execution";
const SECRET = "ghp_abcdefghijklmnopqrstuvwxyz012345";
const DOC = "demo://resource/static/document/instructions.md";
const ns = (server: string, uri: string) => `pmcp://server/${server}/${uri}`;

/** The JSON-RPC error a request fails with (fails the test if it succeeds). */
async function rpcError(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return { code: (e as { code: number }).code, message: String((e as Error).message) };
  }
  throw new Error("expected the request to fail");
}

async function allResources(client: Client) {
  const pages: number[] = [];
  const out: Array<{ uri: string; _meta?: Record<string, unknown> }> = [];
  let cursor: string | undefined;
  do {
    // One page at a time: without a cursor the v2 client would walk and merge every page itself.
    const r = cursor
      ? await client.listResources({ cursor })
      : await client.request({ method: "resources/list", params: {} });
    pages.push(r.resources.length);
    out.push(...r.resources);
    cursor = r.nextCursor;
  } while (cursor);
  return { out, pages };
}

const textOf = (r: { contents: Array<Record<string, unknown>> }) =>
  r.contents.map((c) => String(c.text ?? "")).join("\n");

for (const transport of ["stdio", "http"] as const) {
  describe(`gateway resources and prompts over ${transport}`, () => {
    const s = scratch();
    const cfgPath = join(s.dir, "servers.mcp.json");
    const policyPath = join(s.dir, "policy.yaml");
    let gw: GatewaySession;

    beforeAll(async () => {
      writeJson(cfgPath, {
        autoStart: ["everything", "second", "blocked"],
        mcpServers: {
          everything: { command: "node", args: [EVERYTHING, "stdio"] },
          second: { command: "node", args: [FIXTURE], env: { FIXTURE_MANY: "150" } },
          lazy: { command: "node", args: [FIXTURE] },
          sleepy: { command: "node", args: [FIXTURE] },
          blocked: { command: "node", args: [FIXTURE] },
        },
      });
      writeFileSync(
        policyPath,
        [
          "servers:",
          "  denylist: [blocked]",
          "resources:",
          '  denylist: ["second::fixture://hidden"]',
          "prompts:",
          '  denylist: ["second::secret-prompt", "everything::completable-*"]',
          "limits:",
          "  max_output_bytes: 5000",
          // Without indexing, lazy servers have no cached lists: what follows is about live listing and
          // starting on demand (cached lists of stopped servers: indexing.test.ts).
          "lifecycle:",
          "  index_concurrency: 0",
        ].join("\n"),
      );
      gw = await openGateway(transport, ["--config", cfgPath, "--policy", policyPath], s.env(), s.dir);
      // Both autoStart servers contribute once they are up.
      await waitFor(async () => {
        const names = (await gw.client.listPrompts()).prompts.map((p) => p.name);
        return names.includes("everything__simple-prompt") && names.includes("second__greet");
      }, 30_000);
    }, TIMEOUT);

    afterAll(async () => {
      await gw?.close();
    }, TIMEOUT);

    it(
      "declares resources and prompts with listChanged",
      () => {
        const caps = gw.client.getServerCapabilities();
        expect(caps?.resources).toMatchObject({ listChanged: true });
        expect(caps?.prompts).toMatchObject({ listChanged: true });
      },
      TIMEOUT,
    );

    it(
      "lists resources of started servers in pages, namespacing only URIs two servers share",
      async () => {
        const { out, pages } = await allResources(gw.client);
        const uris = out.map((r) => r.uri);
        // The guide, 7 everything docs, 5 fixture resources (one denied) and 150 more, over two pages of ours;
        // the fixture itself pages by 40, so all of them means the gateway followed its cursors.
        expect(pages[0]).toBe(100);
        expect(pages.length).toBeGreaterThanOrEqual(2);
        expect(uris[0]).toBe(GUIDE);
        expect(uris).toContain("fixture://many/149");
        expect(new Set(uris).size).toBe(uris.length);
        expect(uris).toContain(ns("everything", DOC));
        expect(uris).toContain(ns("second", DOC));
        expect(uris).not.toContain(DOC);
        expect(uris).toContain("demo://resource/static/document/architecture.md");
        expect(uris).toContain("fixture://leak");
        expect(uris).not.toContain("fixture://hidden");
        const servers = new Set(out.slice(1).map((r) => r._meta?.["mcpkit/server"]));
        expect([...servers].sort()).toEqual(["everything", "second"]);
        const bad = await rpcError(gw.client.listResources({ cursor: "garbage" }));
        expect(bad.code).toBe(-32602);
      },
      TIMEOUT,
    );

    it(
      "reads by original and namespaced URI, redacts, caps, and names the server on failure",
      async () => {
        const leak = textOf(await gw.client.readResource({ uri: "fixture://leak" }));
        expect(leak).toContain("plain words");
        expect(leak).not.toContain(SECRET);
        expect(leak).toContain("[REDACTED]");

        const mine = await gw.client.readResource({ uri: ns("second", DOC) });
        expect(textOf(mine)).toBe("fixture instructions");
        expect(mine.contents[0]!.uri).toBe(ns("second", DOC));
        const theirs = textOf(await gw.client.readResource({ uri: ns("everything", DOC) }));
        expect(theirs.length).toBeGreaterThan(0);
        expect(theirs).not.toBe("fixture instructions");

        const shared = await rpcError(gw.client.readResource({ uri: DOC }));
        expect(shared.message).toContain(ns("everything", DOC));
        expect(shared.message).toContain(ns("second", DOC));

        const big = textOf(await gw.client.readResource({ uri: "fixture://big" }));
        expect(Buffer.byteLength(big)).toBeLessThanOrEqual(5000);
        expect(big).toContain("output truncated: 200000 bytes");

        const broken = await rpcError(gw.client.readResource({ uri: "fixture://broken" }));
        expect(broken.message).toMatch(/server 'second'.*disk on fire/);
        // The gateway keeps serving after a downstream failure.
        expect(textOf(await gw.client.readResource({ uri: "fixture://many/3" }))).toBe("many 3");

        const hidden = await rpcError(gw.client.readResource({ uri: "fixture://hidden" }));
        expect(hidden.message).toMatch(/denied by policy/);
        const viaNs = await rpcError(gw.client.readResource({ uri: ns("second", "fixture://hidden") }));
        expect(viaNs.message).toMatch(/denied by policy/);

        const unknown = await rpcError(gw.client.readResource({ uri: "nowhere://thing" }));
        // Resource not found is -32602 with the v2 SDK (SEP-2164; it no longer sends 2025's -32002).
        expect(unknown.code).toBe(-32602);
        expect(unknown.message).toContain("unknown resource 'nowhere://thing'");
        expect(unknown.message).toContain(GUIDE);
        expect(unknown.message).toContain("fixture://item/{id}");

        const blocked = await rpcError(gw.client.readResource({ uri: ns("blocked", "fixture://leak") }));
        expect(blocked.message).toMatch(/blocked.*denied by policy/);
        // Our own guide is still there.
        expect(textOf(await gw.client.readResource({ uri: GUIDE }))).toContain("gateway_invoke");
      },
      TIMEOUT,
    );

    it(
      "lists resource templates and routes reads of their expansions",
      async () => {
        const listed = (await gw.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
        expect(listed).toContain("fixture://item/{id}");
        expect(listed).toContain("demo://resource/dynamic/blob/{resourceId}");
        expect(listed).toContain(ns("everything", "demo://resource/dynamic/text/{resourceId}"));
        expect(listed).toContain(ns("second", "demo://resource/dynamic/text/{resourceId}"));
        expect(listed).not.toContain("demo://resource/dynamic/text/{resourceId}");

        expect(textOf(await gw.client.readResource({ uri: "fixture://item/42" }))).toBe("item 42");
        const blob = await gw.client.readResource({ uri: "demo://resource/dynamic/blob/7" });
        const b64 = String((blob.contents[0] as { blob?: string }).blob);
        expect(Buffer.from(b64, "base64").toString()).toContain("Resource 7");

        const ambiguous = await rpcError(gw.client.readResource({ uri: "demo://resource/dynamic/text/5" }));
        expect(ambiguous.message).toContain(ns("second", "demo://resource/dynamic/text/5"));
        expect(
          textOf(await gw.client.readResource({ uri: ns("second", "demo://resource/dynamic/text/5") })),
        ).toBe("fixture dynamic 5");
        expect(
          textOf(await gw.client.readResource({ uri: ns("everything", "demo://resource/dynamic/text/5") })),
        ).toContain("Resource 5");
      },
      TIMEOUT,
    );

    it(
      "lists prompts as <server>__<prompt>, gets them with arguments, and applies the prompts policy",
      async () => {
        const prompts = (await gw.client.listPrompts()).prompts;
        const names = prompts.map((p) => p.name);
        expect(names).toEqual(
          expect.arrayContaining([
            "everything__simple-prompt",
            "everything__args-prompt",
            "second__simple-prompt",
            "second__greet",
          ]),
        );
        expect(names).not.toContain("second__secret-prompt");
        expect(names).not.toContain("everything__completable-prompt");
        expect(names.some((n) => n.startsWith("blocked__"))).toBe(false);
        for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]+$/);
        const greet = prompts.find((p) => p.name === "second__greet");
        expect(greet?.arguments).toEqual([{ name: "who", required: true }]);

        const args = await gw.client.getPrompt({
          name: "everything__args-prompt",
          arguments: { city: "Paris", state: "Texas" },
        });
        expect(args.messages[0]!.content).toEqual({ type: "text", text: "What's weather in Paris, Texas?" });
        const simple = await gw.client.getPrompt({ name: "second__simple-prompt" });
        expect(simple.messages[0]!.content).toMatchObject({ text: "fixture simple prompt" });

        const hello = await gw.client.getPrompt({ name: "second__greet", arguments: { who: "Ada" } });
        const text = String((hello.messages[0]!.content as { text: string }).text);
        expect(text).toContain("Hello Ada");
        expect(text).not.toContain(SECRET);

        const denied = await rpcError(gw.client.getPrompt({ name: "second__secret-prompt" }));
        expect(denied.message).toMatch(/denied by policy/);
        const unknown = await rpcError(gw.client.getPrompt({ name: "nobody__nothing" }));
        expect(unknown.code).toBe(-32602);
        expect(unknown.message).toContain("unknown prompt 'nobody__nothing'");
        expect(unknown.message).toContain("second__greet");
        const broken = await rpcError(gw.client.getPrompt({ name: "second__broken" }));
        expect(broken.message).toMatch(/server 'second'.*prompt exploded/);
        expect((await gw.client.getPrompt({ name: "everything__simple-prompt" })).messages).toHaveLength(1);
      },
      TIMEOUT,
    );

    it(
      "does not start a lazy server to list; when it starts, clients get list_changed and its items",
      async () => {
        let resourcesChanged = 0;
        let promptsChanged = 0;
        gw.client.setNotificationHandler("notifications/resources/list_changed", () => {
          resourcesChanged++;
        });
        gw.client.setNotificationHandler("notifications/prompts/list_changed", () => {
          promptsChanged++;
        });
        const before = (await gw.client.listPrompts()).prompts.map((p) => p.name);
        expect(before.some((n) => n.startsWith("lazy__"))).toBe(false);
        const health = await call(gw.client, "health");
        expect(health.data.servers.find((r: { name: string }) => r.name === "lazy").state).toBe("configured");

        const described = await call(gw.client, "describe", { tool_id: "lazy::ping" });
        expect(described.isError).toBe(false);
        await waitFor(() => resourcesChanged > 0 && promptsChanged > 0, 20_000);

        const after = (await gw.client.listPrompts()).prompts.map((p) => p.name);
        expect(after).toContain("lazy__greet");
        // fixture://leak is now offered by two servers, so both copies are namespaced.
        const { out } = await allResources(gw.client);
        const uris = out.map((r) => r.uri);
        expect(uris).toContain(ns("lazy", "fixture://leak"));
        expect(uris).toContain(ns("second", "fixture://leak"));
        expect(uris).not.toContain("fixture://leak");
        expect(textOf(await gw.client.readResource({ uri: ns("lazy", "fixture://item/1") }))).toBe("item 1");
      },
      TIMEOUT,
    );

    it(
      "a prompts/get naming a configured server that is not started starts it",
      async () => {
        const listed = (await gw.client.listPrompts()).prompts.map((p) => p.name);
        expect(listed.some((n) => n.startsWith("sleepy__"))).toBe(false);
        const hello = await gw.client.getPrompt({ name: "sleepy__greet", arguments: { who: "Bo" } });
        expect((hello.messages[0]!.content as { text: string }).text).toContain("Hello Bo");
        const health = await call(gw.client, "health");
        expect(health.data.servers.find((r: { name: string }) => r.name === "sleepy").state).not.toBe(
          "configured",
        );
      },
      TIMEOUT,
    );
  });
}
