import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { call, fails, ok, startPty, text } from "./helpers.ts";

const O = { owner: "alice" };
let srv: StdioSession;

beforeAll(async () => {
  srv = await startPty();
});
afterAll(async () => {
  await srv?.close();
});

describe("pty core over stdio", () => {
  it("spawns, reads with a real terminal (CRLF), and reports the exit status", async () => {
    const r = await call(srv.client, "pty_spawn", { command: "printf 'hello\\nworld\\n'; exit 3", ...O });
    expect(r.isError).toBeFalsy();
    const id = text(r);
    expect(id).toMatch(/^\d+-\d+-[0-9a-f]{8}$/);
    const w = await ok(srv.client, "pty_wait", { session_id: id, ...O, timeout_ms: 10000 });
    expect(w).toMatchObject({ running: false, exit_code: 3, signal: null, exit_reason: "exited" });
    const read = await call(srv.client, "pty_read", { session_id: id, ...O });
    expect(text(read)).toBe("hello\r\nworld\r\n");
    const again = await ok(srv.client, "pty_read", { session_id: id, ...O, timeout_ms: 0 });
    expect(again.text).toBe("");
    const st = await ok(srv.client, "pty_status", { session_id: id, ...O });
    expect(st).toMatchObject({ running: false, exit_code: 3, buf_total_offset: 14, dropped_bytes: 0 });
  });

  it("writes to an interactive program, echo on, and waits for patterns event-driven", async () => {
    const id = text(await call(srv.client, "pty_spawn", { command: "cat", ...O }));
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "ping\r" });
    const u = await ok(srv.client, "pty_read_until", {
      session_id: id,
      ...O,
      pattern: "ping",
      timeout_ms: 5000,
    });
    // The terminal echoes the line, then cat prints it: the pattern matches cat's copy, not the echo.
    expect(u).toMatchObject({ matched: true, text: "ping\r\nping" });
    const miss = await ok(srv.client, "pty_read_until", {
      session_id: id,
      ...O,
      pattern: "NEVER",
      timeout_ms: 200,
    });
    expect(miss.matched).toBe(false);
    const re = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "DONE\r",
      patterns: ["zzz", "D.NE"],
      regex: true,
      timeout_ms: 5000,
    });
    expect(re).toMatchObject({ matched: true, pattern: "D.NE" });
    await ok(srv.client, "pty_close", { session_id: id, ...O });
    expect(await fails(srv.client, "pty_close", { session_id: id, ...O })).toMatch(
      /unknown session_id.*already closed/,
    );
  });

  it("lists and filters sessions by owner and tag", async () => {
    const id = text(await call(srv.client, "pty_spawn", { command: "sleep 30", ...O, tag: "t-list" }));
    const l = await ok(srv.client, "pty_list", { ...O, tag: "t-list" });
    expect(l.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([id]);
    expect((await ok(srv.client, "pty_list", { owner: "bob" })).sessions).toEqual([]);
    expect(await fails(srv.client, "pty_list", {})).toMatch(/owner is required for pty_list/);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("read_until_any reports the first pattern in list order", async () => {
    const id = text(await call(srv.client, "pty_spawn", { command: "echo one; sleep 0.2; echo two", ...O }));
    await ok(srv.client, "pty_wait", { session_id: id, ...O });
    const r = await ok(srv.client, "pty_read_until_any", {
      session_id: id,
      ...O,
      patterns: ["zzz", "two", "one"],
    });
    expect(r).toMatchObject({ matched: true, pattern: "two" });
  });
});
