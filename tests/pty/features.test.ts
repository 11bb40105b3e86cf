import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { call, ok, startPty, text } from "./helpers.ts";

const O = { owner: "f" };
let srv: StdioSession;
beforeAll(async () => {
  srv = await startPty();
});
afterAll(async () => {
  await srv?.close();
});
const spawn = async (args: Record<string, unknown>) =>
  text(await call(srv.client, "pty_spawn", { ...O, ...args }));
const done = (id: string) => ok(srv.client, "pty_wait", { session_id: id, ...O, timeout_ms: 10000 });

describe("history and reads", () => {
  it("reading never destroys history: read_at re-reads, cursors are per client, cuts respect UTF-8", async () => {
    const id = await spawn({ command: "printf 'abcdefghij€€'" });
    await done(id);
    expect(
      await ok(srv.client, "pty_read_at", { session_id: id, ...O, offset: 0, max_chars: 4 }),
    ).toMatchObject({ truncated: false, text: "abcd", next_offset: 4 });
    expect((await ok(srv.client, "pty_read", { session_id: id, ...O, max_chars: 3 })).text).toBe("abc");
    expect(
      await ok(srv.client, "pty_read_at", { session_id: id, ...O, offset: 0, max_chars: 5 }),
    ).toMatchObject({ truncated: false, text: "abcde" });
    // Another client has its own cursor and starts from the beginning.
    expect(
      (await ok(srv.client, "pty_read", { session_id: id, ...O, client_id: "other", max_chars: 2 })).text,
    ).toBe("ab");
    // max_chars=11 would end inside the first "€": the cut moves back to the boundary.
    const r = await ok(srv.client, "pty_read", { session_id: id, ...O, max_chars: 9 });
    expect(r.text).toBe("defghij");
    expect((await ok(srv.client, "pty_read", { session_id: id, ...O, max_chars: 4 })).text).toBe("€");
    expect((await ok(srv.client, "pty_read", { session_id: id, ...O })).text).toBe("€");
  });

  it("overflow drops the oldest bytes and says how many (dropped_bytes), with no marker in the data", async () => {
    const id = await spawn({ command: "head -c 5000 /dev/zero | tr '\\0' x", max_output_bytes: 1024 });
    await done(id);
    const st = await ok(srv.client, "pty_status", { session_id: id, ...O });
    expect(st).toMatchObject({
      buffer_bytes: 1024,
      buf_total_offset: 5000,
      buf_start_offset: 3976,
      dropped_bytes: 3976,
      truncated: true,
    });
    const r = await ok(srv.client, "pty_read", { session_id: id, ...O, max_chars: 100000 });
    expect(r.dropped_bytes).toBe(3976);
    expect(r.text).toBe("x".repeat(1024));
    expect((await ok(srv.client, "pty_read_at", { session_id: id, ...O, offset: 0 })).truncated).toBe(true);
  });

  it("separate streams, json format, text view and token/tail budgets", async () => {
    const id = await spawn({
      command: "echo OUT; echo ERR >&2; test -t 1 || echo stdout-not-tty",
      separate_streams: true,
    });
    await done(id);
    expect((await ok(srv.client, "pty_read_stdout", { session_id: id, ...O })).text).toBe(
      "OUT\nstdout-not-tty\n",
    );
    expect((await ok(srv.client, "pty_read_stderr", { session_id: id, ...O })).text).toBe("ERR\n");
    const j = await call(srv.client, "pty_read_at", { session_id: id, ...O, stream: "stderr" });
    expect(j.structuredContent?.text).toBe("ERR\n");

    const p = await spawn({
      command: "printf '\\033[31mred\\033[0m\\nprogress 10%%\\rprogress 100%%\\nab\\bX\\n'",
    });
    await done(p);
    const t = await call(srv.client, "pty_read", { session_id: p, ...O, view: "text", format: "json" });
    expect(JSON.parse(text(t))).toMatchObject({ stream: "pty", text: "red\nprogress 100%\naX\n" });

    const big = await spawn({ command: "seq 1 3000" });
    await done(big);
    const tail = await ok(srv.client, "pty_read_at", {
      session_id: big,
      ...O,
      max_chars: 100000,
      view: "text",
      tail_lines: 2,
    });
    expect(tail.text).toMatch(/bytes omitted …\]\n2999\n3000\n?$/);
    const tok = await ok(srv.client, "pty_read_at", {
      session_id: big,
      ...O,
      max_chars: 100000,
      max_tokens: 60,
    });
    expect(tok.text).toMatch(/^1\r\n2\r\n/);
    expect(tok.text).toMatch(/\[… \d+ bytes omitted …\]/);
    expect(tok.text).toMatch(/3000\r\n$/);
  });
});

describe("terminal behaviour", () => {
  it("Ctrl-C interrupts, named keys work, resize reaches the program, raw mode is available", async () => {
    const id = await spawn({
      command: "trap 'echo GOT_SIGINT; exit 130' INT; echo ready; while :; do sleep 0.05; done",
      cols: 100,
      rows: 20,
    });
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "ready", timeout_ms: 5000 });
    await ok(srv.client, "pty_write", { session_id: id, ...O, keys: ["Ctrl+C"] });
    expect((await done(id)).exit_code).toBe(130);

    const sh = await spawn({ command: "stty size; read x; stty size", cols: 100, rows: 20 });
    expect(
      (await ok(srv.client, "pty_read_until", { session_id: sh, ...O, pattern: "20 100", timeout_ms: 5000 }))
        .matched,
    ).toBe(true);
    await ok(srv.client, "pty_resize", { session_id: sh, ...O, cols: 50, rows: 10 });
    await ok(srv.client, "pty_write", { session_id: sh, ...O, keys: ["Enter"] });
    expect(
      (await ok(srv.client, "pty_read_until", { session_id: sh, ...O, pattern: "10 50", timeout_ms: 5000 }))
        .matched,
    ).toBe(true);

    // wait_ms lets `stty raw -echo` take effect before the first write.
    const raw = (await ok(srv.client, "pty_spawn", { ...O, command: "cat", tty_mode: "raw", wait_ms: 400 }))
      .session_id;
    const w = await ok(srv.client, "pty_write", { session_id: raw, ...O, data: "ping\n", wait_ms: 3000 });
    expect(w.output).toBe("ping\n");
    await ok(srv.client, "pty_close", { session_id: raw, ...O });
  });

  it("write with wait_ms returns output and state; spawn with wait_ms too", async () => {
    const s = await ok(srv.client, "pty_spawn", { ...O, command: "echo started; exit 2", wait_ms: 5000 });
    expect(s).toMatchObject({ running: false, exit_code: 2, output: "started\r\n" });
    const py = await spawn({ command: 'read a; echo "sum=$((a+1))"; read b' });
    const w = await ok(srv.client, "pty_write", { session_id: py, ...O, data: "41\r", wait_ms: 3000 });
    expect(w.output).toContain("sum=42");
    expect(w.running).toBe(true);
    await ok(srv.client, "pty_close", { session_id: py, ...O });
  });

  it("finished sessions keep exit status and unread output; spawn_timeout escalates to SIGKILL", async () => {
    const id = await spawn({ command: "echo finished; kill -TERM $$" });
    const w = await done(id);
    expect(w).toMatchObject({ running: false, exit_code: null, signal: "SIGTERM", exit_reason: "exited" });
    expect((await ok(srv.client, "pty_read", { session_id: id, ...O })).text).toBe("finished\r\n");

    const stubborn = await spawn({ command: "trap '' TERM; echo stubborn; sleep 30", spawn_timeout_sec: 1 });
    const t = await done(stubborn);
    expect(t).toMatchObject({ running: false, exit_reason: "timeout", signal: "SIGKILL" });
    expect((await ok(srv.client, "pty_read", { session_id: stubborn, ...O })).text).toContain("stubborn");
  });

  it("read_quiescent returns once output settles", async () => {
    const id = await spawn({ command: "for i in 1 2 3; do echo tick$i; sleep 0.1; done; sleep 30" });
    const r = await ok(srv.client, "pty_read_quiescent", {
      session_id: id,
      ...O,
      quiescence_ms: 500,
      timeout_ms: 5000,
    });
    expect(r.text).toBe("tick1\r\ntick2\r\ntick3\r\n");
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });
});
