import type { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL_NAMES } from "../../lib/servers/ptm/tool-inventory.ts";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { type HttpProcess, startHttp, waitFor } from "../helpers/mcpkit.ts";
import { cacheFields, connectHttpEra, connectStdioEra, ERAS } from "../rest-tools/eras.ts";
import { ptmEnv, textOf } from "./helpers.ts";

// The same server definition answers a 2025-era client (initialize, sessions) and a client pinned to
// 2026-07-28 (server/discover, stateless requests), over stdio and Streamable HTTP, through the real CLI.

let backend: FakePtm;
let http: HttpProcess;
beforeAll(async () => {
  backend = await startFakePtm();
  http = await startHttp(["ptm", "--transport", "http", "--port", "0"], {
    env: ptmEnv(backend, { PTM_MCP_READ_ONLY: "false" }),
  });
}, 30_000);
afterAll(async () => {
  await http?.stop();
  await backend?.close();
});

const call = (c: Client, name: string, args: Record<string, unknown> = {}) =>
  c.callTool({ name, arguments: args }) as Promise<CallToolResult>;

const TRANSPORTS = ["stdio", "http"] as const;
let bulk = 0;

for (const era of ERAS) {
  for (const transport of TRANSPORTS) {
    describe(`mcpkit ptm, ${era} client over ${transport}`, () => {
      let client: Client;
      beforeAll(async () => {
        client =
          transport === "stdio"
            ? await connectStdioEra(era, ["ptm"], ptmEnv(backend, { PTM_MCP_READ_ONLY: "false" }))
            : await connectHttpEra(era, http.url);
      }, 30_000);
      afterAll(async () => {
        await client?.close();
      });

      it("lists the 24 tools in inventory order, with an hour's public cache hint on 2026-07-28", async () => {
        const listed = await client.listTools();
        expect(listed.tools.map((t) => t.name)).toEqual(TOOL_NAMES);
        expect(cacheFields(listed)).toEqual(
          era === "2026-07-28" ? { ttlMs: 3_600_000, cacheScope: "public" } : {},
        );
        const templates = await client.listResourceTemplates();
        expect(templates.resourceTemplates).toHaveLength(5);
        if (era === "2026-07-28") expect(cacheFields(templates).ttlMs).toBe(3_600_000);
      });

      it("a read tool returns the backend's object", async () => {
        const r = await call(client, "get_prompt", { prompt_id: "team.summarizer" });
        expect(r.isError, textOf(r)).toBeFalsy();
        expect(r.structuredContent).toMatchObject({ id: "team.summarizer" });
      });

      it("a paged list follows pages, says where to continue, and reports progress", async () => {
        // Our own handler: the SDK's `onprogress` drops a notification that arrives in the same chunk as
        // the result (it forgets the token first); the server sends it before the result either way.
        const seen: unknown[] = [];
        client.setNotificationHandler("notifications/progress", (n) => {
          seen.push(n.params);
        });
        const token = `walk-${era}-${transport}`;
        const r = await client.callTool({
          name: "list_prompts",
          arguments: { tag: "demo", limit: 3 },
          _meta: { progressToken: token },
        });
        expect(r.structuredContent).toMatchObject({ returned: 3, truncated: true, next_offset: 3 });
        await waitFor(() => seen.length > 0);
        expect(seen).toEqual([{ progressToken: token, progress: 3, total: 3 }]);
      });

      it("a write tool changes the backend, and the resource template reads the change uncached", async () => {
        const id = `bulk.p0${++bulk}`;
        const text = `Rewritten over ${transport} (${era})`;
        const r = await call(client, "update_prompt", {
          prompt_id: id,
          change_summary: "era test",
          prompt_text: text,
        });
        expect(r.isError, textOf(r)).toBeFalsy();
        expect(r.structuredContent).toMatchObject({ prompt_id: id, created_version: true });
        const read = await client.readResource({ uri: `ptm://prompts/${id}` });
        expect(read.contents[0]).toMatchObject({ mimeType: "text/plain", text });
        expect(cacheFields(read)).toEqual(era === "2026-07-28" ? { ttlMs: 0, cacheScope: "private" } : {});
        const version = await client.readResource({ uri: `ptm://prompts/${id}/v1` });
        expect((version.contents[0] as { text: string }).text).not.toBe(text);
      });

      it("a backend error is an isError result with the seed's wording; a missing resource is not-found", async () => {
        const r = await call(client, "get_prompt", { prompt_id: "no.such" });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(
          /^get_prompt: Prompt or resource not found\. Verify prompt_id and PAT visibility\. \(HTTP 404\)/,
        );
        await expect(client.readResource({ uri: "ptm://prompts/no.such" })).rejects.toMatchObject({
          code: -32602,
          data: { uri: "ptm://prompts/no.such" },
        });
      });

      it("bad arguments are an isError result naming the argument; an unknown tool is -32602", async () => {
        const r = await call(client, "get_prompt", { prompt_id: "team.summarizer", extra: 1 });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toBe("Invalid arguments for get_prompt: unknown argument 'extra'");
        await expect(call(client, "no_such_tool")).rejects.toMatchObject({ code: -32602 });
      });
    });
  }
}

describe("mcpkit ptm read-only mode, 2026-07-28 client over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectStdioEra("2026-07-28", ["ptm"], ptmEnv(backend));
  }, 30_000);
  afterAll(async () => {
    await client?.close();
  });

  it("lists write tools (saying they are refused) and refuses their calls with the exact message", async () => {
    const { tools } = await client.listTools();
    const share = tools.find((t) => t.name === "share_prompt")!;
    expect(share.annotations?.readOnlyHint).toBe(false);
    expect(share.description).toMatch(/\(Refused while PTM_MCP_READ_ONLY is true\.\)$/);
    const before = backend.apiRequests().length;
    const r = await call(client, "share_prompt", { prompt_id: "team.summarizer", group_id: "grp_platform" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(
      "share_prompt: share_prompt is a write tool and mcpkit ptm is in read-only mode (PTM_MCP_READ_ONLY is true), so nothing was sent to PTM. To allow writes, set PTM_MCP_READ_ONLY=false in this server's environment and restart it.",
    );
    expect(backend.apiRequests().length).toBe(before);
  });
});
