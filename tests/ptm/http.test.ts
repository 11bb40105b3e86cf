import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { connectHttp, type HttpProcess, startHttp } from "../helpers/mcpkit.ts";
import { ptmEnv } from "./helpers.ts";

describe("mcpkit ptm over Streamable HTTP", () => {
  let backend: FakePtm;
  let server: HttpProcess;
  beforeAll(async () => {
    backend = await startFakePtm();
    server = await startHttp(["ptm", "--transport", "http", "--port", "0"], {
      env: ptmEnv(backend, { PTM_MCP_READ_ONLY: "false" }),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await backend?.close();
  });

  it("serves tools and resources to several clients that share one backend session id", async () => {
    const a = await connectHttp(server.url);
    const b = await connectHttp(server.url);
    expect((await a.listTools()).tools).toHaveLength(24);
    const listed = await a.callTool({ name: "list_prompts", arguments: { tag: "demo", limit: 3 } });
    expect(listed.structuredContent).toMatchObject({ returned: 3, truncated: true });
    const updated = await b.callTool({
      name: "update_prompt",
      arguments: { prompt_id: "bulk.p05", change_summary: "over http", prompt_text: "New text" },
    });
    expect(updated.structuredContent).toMatchObject({ version: 2, created_version: true });
    const text = await a.readResource({ uri: "ptm://prompts/bulk.p05" });
    expect((text.contents[0] as { text: string }).text).toBe("New text");
    expect(new Set(backend.requests.map((r) => r.headers["x-ptm-mcp-session"])).size).toBe(1);
    await a.close();
    await b.close();
  });

  it("SIGTERM exits 0", async () => {
    expect(await server.stop("SIGTERM")).toBe(0);
  });
});
