import type { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as D from "../fixtures/trueppm/data.ts";
import type { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { type HttpProcess, startHttp } from "../helpers/mcpkit.ts";
import { cacheFields, connectHttpEra, connectStdioEra, ERAS } from "../rest-tools/eras.ts";
import { makeToken, ONE_CALL_EACH, startFake, textOf, trueppmEnv } from "./helpers.ts";

// The same server definition answers a 2025-era client (initialize, sessions) and a client pinned to
// 2026-07-28 (server/discover, stateless requests), over stdio and Streamable HTTP, through the real CLI.

const TOKEN = makeToken("eras");
let fake: FakeTrueppm;
let http: HttpProcess;
beforeAll(async () => {
  fake = await startFake({ [TOKEN]: undefined });
  http = await startHttp(["trueppm", "--transport", "http", "--port", "0"], { env: trueppmEnv(fake, TOKEN) });
}, 30_000);
afterAll(async () => {
  await http?.stop();
  await fake?.close();
});

const call = (c: Client, name: string, args: Record<string, unknown> = {}) =>
  c.callTool({ name, arguments: args }) as Promise<CallToolResult>;

for (const era of ERAS) {
  for (const transport of ["stdio", "http"] as const) {
    describe(`mcpkit trueppm, ${era} client over ${transport}`, () => {
      let client: Client;
      beforeAll(async () => {
        client =
          transport === "stdio"
            ? await connectStdioEra(era, ["trueppm"], trueppmEnv(fake, TOKEN))
            : await connectHttpEra(era, http.url);
      }, 30_000);
      afterAll(async () => {
        await client?.close();
      });

      it("lists the 18 tools in the original's order, with an hour's public cache hint on 2026-07-28", async () => {
        const listed = await client.listTools();
        expect(listed.tools.map((t) => t.name)).toEqual(ONE_CALL_EACH.map(([name]) => name));
        expect(cacheFields(listed)).toEqual(
          era === "2026-07-28" ? { ttlMs: 3_600_000, cacheScope: "public" } : {},
        );
      });

      it("a read tool returns the compacted object with its why block, text and structure alike", async () => {
        const r = await call(client, "get_task", { task_id: D.T_FLOAT });
        expect(r.isError, textOf(r)).toBeFalsy();
        expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
        expect(r.structuredContent).toMatchObject({
          id: D.T_FLOAT,
          why: {
            explanation:
              "This task has 4 working day(s) of total float before a slip affects the project finish.",
          },
        });
      });

      it("a paged list stops at 1,000 rows and says truncated", async () => {
        const r = await call(client, "list_tasks", { project_id: D.P_BIG });
        const data = r.structuredContent as { items: unknown[]; total_count: number; truncated?: true };
        expect(data.items).toHaveLength(1000);
        expect(data.truncated).toBe(true);
        expect(data.total_count).toBeGreaterThan(1000);
      });

      it("an API error and a refused argument combination keep the original's prefix", async () => {
        const missing = await call(client, "get_task", { task_id: "nope-id" });
        expect(missing.isError).toBe(true);
        expect(textOf(missing).split("\n")[0]).toBe(
          "Error executing tool get_task: Unexpected response from tasks/nope-id/: HTTP 404.",
        );
        const both = await call(client, "whatif", {
          project_id: D.P_ALPHA,
          task_id: D.T_CRITICAL,
          duration_delta: 1,
          new_duration: 2,
        });
        expect(textOf(both)).toBe(
          "Error executing tool whatif: Give exactly one of duration_delta or new_duration.",
        );
        expect(JSON.stringify([missing, both])).not.toContain(TOKEN);
      });
    });
  }
}
