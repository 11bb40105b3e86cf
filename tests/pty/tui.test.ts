import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { call, ok, startPty, tempDir, text } from "./helpers.ts";

const O = { owner: "tui" };
let srv: StdioSession;
beforeAll(async () => {
  srv = await startPty();
});
afterAll(async () => {
  await srv?.close();
});

describe("rendered screen", () => {
  it("drives less through pty_screen: alternate screen, paging, resize, quit", async () => {
    const dir = tempDir("pty-less-");
    writeFileSync(join(dir, "lines.txt"), Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join("\n"));
    const id = text(
      await call(srv.client, "pty_spawn", {
        command: "less lines.txt",
        cwd: dir,
        cols: 60,
        rows: 10,
        ...O,
        env: { LESS: null, LESSOPEN: null },
      }),
    );
    const screenOf = async () => ok(srv.client, "pty_screen", { session_id: id, ...O });
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "line 9", timeout_ms: 5000 });
    let s = await screenOf();
    expect(s.alternate_screen).toBe(true);
    expect(s.lines.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `line ${i + 1}`));
    await ok(srv.client, "pty_write", { session_id: id, ...O, keys: ["PageDown"] });
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "line 18", timeout_ms: 5000 });
    s = await screenOf();
    expect(s.lines[0]).toBe("line 10");
    const v = await ok(srv.client, "pty_read", { session_id: id, ...O, view: "screen", timeout_ms: 0 });
    expect(v.text.split("\n")[0]).toBe("line 10");
    await ok(srv.client, "pty_resize", { session_id: id, ...O, cols: 60, rows: 5 });
    s = await screenOf();
    expect(s).toMatchObject({ rows: 5, cols: 60 });
    expect(s.lines).toHaveLength(5);
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "q" });
    await ok(srv.client, "pty_wait", { session_id: id, ...O, timeout_ms: 5000 });
    s = await screenOf();
    expect(s).toMatchObject({ alternate_screen: false, running: false, exit_code: 0 });
  });
});

describe("long waits", () => {
  it("send progress notifications when asked and honour cancellation", async () => {
    const id = text(await call(srv.client, "pty_spawn", { command: "sleep 2.5; echo late; sleep 30", ...O }));
    const progress: number[] = [];
    const r = await srv.client.callTool(
      { name: "pty_read_until", arguments: { session_id: id, ...O, pattern: "late", timeout_ms: 10000 } },
      { onprogress: (p) => progress.push(p.progress), timeout: 20000 },
    );
    expect((r.structuredContent as { matched: boolean }).matched).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(1);

    const ac = new AbortController();
    const pending = srv.client.callTool(
      { name: "pty_read_until", arguments: { session_id: id, ...O, pattern: "never", timeout_ms: 60000 } },
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort("test"), 200);
    await expect(pending).rejects.toThrow();
    // The server kept serving and the cancelled wait consumed nothing it should not have.
    expect((await ok(srv.client, "pty_status", { session_id: id, ...O })).running).toBe(true);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });
});
