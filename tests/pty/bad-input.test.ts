import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { isAlive, waitFor } from "../helpers/mcpkit.ts";
import { call, fails, groupMembers, ok, startPty, text } from "./helpers.ts";

const O = { owner: "bad" };
let srv: StdioSession;
beforeAll(async () => {
  srv = await startPty({ PTY_MCP_ENABLE_ADMIN_TOOLS: "1" });
});
afterAll(async () => {
  await srv?.close();
});

/** Fails as an isError result or as a JSON-RPC invalid-params error; either way with a message. */
async function rejected(name: string, args: Record<string, unknown>): Promise<string> {
  try {
    const r = await call(srv.client, name, args);
    expect(r.isError).toBe(true);
    return text(r);
  } catch (e) {
    return String(e);
  }
}

describe("bad input gets a clear error and the server keeps serving", () => {
  it("schema violations: unknown arguments, wrong types, negative sizes, huge max_chars", async () => {
    expect(await rejected("pty_spawn", { command: "true", ...O, bogus: 1 })).toMatch(/bogus|Unrecognized/i);
    expect(await rejected("pty_spawn", { command: 42, ...O })).toMatch(/command/);
    expect(await rejected("pty_spawn", { command: "true", ...O, cols: -5 })).toMatch(/cols/);
    expect(await rejected("pty_read", { session_id: "x", ...O, max_chars: 1e12 })).toMatch(/max_chars/);
    expect(await rejected("pty_resize", { session_id: "x", ...O, cols: 0, rows: -1 })).toMatch(/cols|rows/);
    expect(await rejected("pty_spawn", { command: "true", ...O, scope: "bogus" })).toMatch(/scope/);
  });

  it("unknown ids, double close, writes after exit, invalid regexes, missing commands and keys", async () => {
    expect(await fails(srv.client, "pty_status", { session_id: "nope", ...O })).toMatch(/unknown session_id/);
    const id = text(await call(srv.client, "pty_spawn", { command: "echo bye", ...O }));
    await ok(srv.client, "pty_wait", { session_id: id, ...O });
    expect(await fails(srv.client, "pty_write", { session_id: id, ...O, data: "x" })).toMatch(
      /session has exited \(exit code 0\)/,
    );
    expect(
      await fails(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "(", regex: true }),
    ).toMatch(/invalid regex pattern/);
    expect(await fails(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "" })).toMatch(
      /pattern is required/,
    );
    expect(await fails(srv.client, "pty_write", { session_id: id, ...O })).toMatch(/nothing to write/);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
    expect(await fails(srv.client, "pty_close", { session_id: id, ...O })).toMatch(/already closed/);
    expect(
      await fails(srv.client, "pty_spawn", { command: "definitely-not-a-command-xyz --flag", ...O }),
    ).toMatch(/command not found: definitely-not-a-command-xyz/);
    expect(await fails(srv.client, "pty_spawn", { command: "ls", ...O, cwd: "/no/such/dir" })).toMatch(
      /cwd does not exist/,
    );
    const cat = text(await call(srv.client, "pty_spawn", { command: "cat", ...O }));
    expect(await fails(srv.client, "pty_write", { session_id: cat, ...O, keys: ["Hyper+Q"] })).toMatch(
      /unknown key name/,
    );
    await ok(srv.client, "pty_close", { session_id: cat, ...O });
    // Still serving.
    expect((await ok(srv.client, "pty_list", O)).count).toBe(0);
  });

  it("absolute-path commands infer their cwd", async () => {
    const r = await ok(srv.client, "pty_spawn", { command: "/bin/pwd", ...O, wait_ms: 2000 });
    expect(r.cwd).toBe("/bin");
    expect(r.output).toMatch(/^\/(usr\/)?bin\r\n$/);
  });
});

describe("nothing is left running", () => {
  it("after pty_close and pty_close_all (the whole process group goes)", async () => {
    const a = await ok(srv.client, "pty_spawn", {
      command: "sleep 300 & sleep 300 & echo up; wait",
      ...O,
      wait_ms: 2000,
    });
    const b = await ok(srv.client, "pty_spawn", {
      command: "sleep 300 & echo up; wait",
      ...O,
      wait_ms: 2000,
    });
    expect(groupMembers(a.pgid).length).toBeGreaterThanOrEqual(3);
    await ok(srv.client, "pty_close", { session_id: a.session_id, ...O });
    await waitFor(() => groupMembers(a.pgid).length === 0);
    expect(groupMembers(b.pgid).length).toBeGreaterThanOrEqual(2);
    await ok(srv.client, "pty_close_all");
    await waitFor(() => groupMembers(b.pgid).length === 0);
  });

  it("after SIGTERM and after stdin EOF", async () => {
    for (const how of ["SIGTERM", "EOF"] as const) {
      const s = await startPty();
      const r = await ok(s.client, "pty_spawn", {
        command: "sleep 300 & echo up; wait",
        ...O,
        wait_ms: 2000,
      });
      expect(groupMembers(r.pgid).length).toBeGreaterThanOrEqual(2);
      if (how === "SIGTERM") process.kill(s.pid!, "SIGTERM");
      else await s.close();
      await waitFor(() => !isAlive(s.pid!));
      await waitFor(() => groupMembers(r.pgid).length === 0);
      if (how === "SIGTERM") await s.close().catch(() => {});
    }
  });
});
