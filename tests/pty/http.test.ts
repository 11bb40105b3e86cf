import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, connectHttp, type HttpProcess, startHttp } from "../helpers/mcpkit.ts";
import { ok, tempDir } from "./helpers.ts";

let proc: HttpProcess | undefined;
afterAll(async () => {
  await proc?.stop("SIGTERM");
});

describe("pty over Streamable HTTP", () => {
  it("shares sessions between HTTP clients of one server", async () => {
    proc = await startHttp(["pty", "--transport", "http", "--port", "0"], {
      env: baseEnv({ PTY_MCP_STATE_DIR: tempDir("pty-http-"), PTY_MCP_LOGIN_SHELL: "0" }),
    });
    const a = await connectHttp(proc.url);
    const b = await connectHttp(proc.url);
    const s = await ok(a, "pty_spawn", { command: "cat", owner: "h", name: "shared" });
    await ok(a, "pty_write", { session_id: s.session_id, owner: "h", data: "over-http\r" });
    const r = await ok(b, "pty_resume", { name: "shared", owner: "h" });
    expect(r.session_id).toBe(s.session_id);
    const u = await ok(b, "pty_read_until", {
      session_id: s.session_id,
      owner: "h",
      pattern: "over-http",
      timeout_ms: 5000,
    });
    expect(u.matched).toBe(true);
    await ok(b, "pty_close", { session_id: s.session_id, owner: "h" });
    await a.close();
    await b.close();
  });
});
