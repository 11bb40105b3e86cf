import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { ok, startPty } from "./helpers.ts";

const O = { owner: "burst" };
let srv: StdioSession;
beforeAll(async () => {
  srv = await startPty({ PTY_MCP_MAX_SESSIONS: "40" });
});
afterAll(async () => {
  await srv?.close();
});

describe("burst-then-exit (node-pty tail loss regression)", () => {
  it("delivers every byte before the exit is reported, 30 times", async () => {
    const run = async () => {
      const s = await ok(srv.client, "pty_spawn", {
        command: "head -c 200000 /dev/zero | tr '\\0' y; printf END",
        ...O,
      });
      await ok(srv.client, "pty_wait", { session_id: s.session_id, ...O, timeout_ms: 20000 });
      const st = await ok(srv.client, "pty_status", { session_id: s.session_id, ...O });
      const tail = await ok(srv.client, "pty_read_at", { session_id: s.session_id, ...O, offset: 199990 });
      await ok(srv.client, "pty_close", { session_id: s.session_id, ...O });
      return { running: st.running, total: st.buf_total_offset, tail: tail.text };
    };
    const results = [];
    for (let batch = 0; batch < 6; batch++)
      results.push(...(await Promise.all(Array.from({ length: 5 }, run))));
    expect(results).toHaveLength(30);
    for (const r of results) expect(r).toEqual({ running: false, total: 200003, tail: "yyyyyyyyyyEND" });
  });
});
