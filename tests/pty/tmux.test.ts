import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { fails, ok, startPty, tempDir } from "./helpers.ts";

const O = { owner: "tm" };
const servers: StdioSession[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(stateDir: string, env: Record<string, string> = {}) {
  const s = await startPty({ PTY_MCP_STATE_DIR: stateDir, ...env });
  servers.push(s);
  return s.client;
}

/** Runs tmux against the server's private socket, as something outside mcpkit would. */
function tmuxAt(stateDir: string, ...args: string[]): string {
  return execFileSync("tmux", ["-S", join(stateDir, "tmux.sock"), ...args], { encoding: "utf8" });
}

/** The pane (by id) whose process is `pid`, found from outside mcpkit. */
function paneOf(stateDir: string, pid: number): string {
  const row = tmuxAt(stateDir, "list-panes", "-a", "-F", "#{pane_id} #{pane_pid}")
    .split("\n")
    .find((l) => l.endsWith(` ${pid}`));
  if (!row) throw new Error(`no pane for pid ${pid}`);
  return row.split(" ")[0]!;
}

async function runToExit(c: Client, code: number) {
  const s = await ok(c, "pty_spawn", { command: `printf run-${code}; exit ${code}`, ...O, backend: "tmux" });
  const w = await ok(c, "pty_wait", { session_id: s.session_id, ...O, timeout_ms: 20_000 });
  const out = await ok(c, "pty_read_at", { session_id: s.session_id, ...O, offset: 0 });
  await ok(c, "pty_close", { session_id: s.session_id, ...O });
  return {
    running: w.running,
    exit_code: w.exit_code,
    signal: w.signal,
    exit_reason: w.exit_reason,
    out: out.text,
  };
}

describe("tmux backend", () => {
  it("runs a command in a pane: byte-exact output, input, exit code via remain-on-exit", async () => {
    const c = await server(tempDir("pty-tmux-"));
    const s = await ok(c, "pty_spawn", {
      command: "printf tmux-ok; read line; echo got:$line; exit 4",
      ...O,
      backend: "tmux",
      wait_ms: 3000,
    });
    expect(s.backend).toBe("tmux");
    expect(s.output).toContain("tmux-ok");
    await ok(c, "pty_write", { session_id: s.session_id, ...O, data: "hello", keys: ["Enter"] });
    const u = await ok(c, "pty_read_until", {
      session_id: s.session_id,
      ...O,
      pattern: "got:hello",
      timeout_ms: 5000,
    });
    expect(u.matched).toBe(true);
    const w = await ok(c, "pty_wait", { session_id: s.session_id, ...O, timeout_ms: 20_000 });
    expect(w).toMatchObject({ running: false, exit_code: 4 });
    expect(
      await fails(c, "pty_spawn", { command: "ls", ...O, backend: "tmux", separate_streams: true }),
    ).toMatch(/separate_streams/);
    await ok(c, "pty_close", { session_id: s.session_id, ...O });
  }, 30_000);

  it("pty_signal is refused for a tmux pane and works (and is logged) for a subprocess session", async () => {
    const state = tempDir("pty-tmux-");
    const logDir = tempDir("pty-tmux-log-");
    const c = await server(state, { PTY_MCP_ENABLE_CONTROL_TOOLS: "1", PTY_MCP_SESSION_LOG_DIR: logDir });
    const t = await ok(c, "pty_spawn", { command: "sleep 30", ...O, backend: "tmux", scope: "control" });
    expect(await fails(c, "pty_signal", { session_id: t.session_id, ...O, sig: "INT" })).toMatch(
      /not supported for tmux sessions/,
    );
    // The refusal is the backend's, not the scope's: the same call on a subprocess session goes through.
    const p = await ok(c, "pty_spawn", { command: "sleep 30", ...O, scope: "control" });
    expect(await ok(c, "pty_signal", { session_id: p.session_id, ...O, sig: "TERM" })).toMatchObject({
      ok: true,
      signal: "SIGTERM",
    });
    const w = await ok(c, "pty_wait", { session_id: p.session_id, ...O, timeout_ms: 20_000 });
    expect(w).toMatchObject({ running: false, signal: "SIGTERM" });
    const events = readFileSync(join(logDir, p.session_id, "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.event === "signal")).toMatchObject({ signal: "SIGTERM" });
    await ok(c, "pty_close", { session_id: t.session_id, ...O });
    await ok(c, "pty_close", { session_id: p.session_id, ...O });
  }, 30_000);

  it("groups panes of one owner in a workspace, moves leases together, and recovers after a restart", async () => {
    const dir = tempDir("pty-tmux-");
    const c1 = await server(dir);
    const spawn = (name: string) =>
      ok(c1, "pty_spawn", {
        command: `read line; printf "${name}:%s" "$line"; sleep 60`,
        ...O,
        name,
        backend: "tmux",
        tmux_workspace: "ws1",
      });
    const a = await spawn("pane-a");
    const b = await spawn("pane-b");
    await ok(c1, "pty_attach", { session_id: a.session_id, ...O, client_id: "ctl-1" });
    await ok(c1, "pty_attach", { session_id: b.session_id, ...O, client_id: "ctl-1" });
    // The workspace has one lease holder: another client cannot attach a sibling.
    expect(await fails(c1, "pty_attach", { session_id: b.session_id, ...O, client_id: "ctl-2" })).toMatch(
      /another client/,
    );
    const t = await ok(c1, "pty_takeover", {
      session_id: a.session_id,
      ...O,
      client_id: "ctl-2",
      from_client_id: "ctl-1",
      reason: "ctl-1 gone",
    });
    expect([...t.moved_session_ids].sort()).toEqual([a.session_id, b.session_id].sort());
    const st = await ok(c1, "pty_status", { session_id: b.session_id, ...O });
    expect(st).toMatchObject({
      attached_client_id: "ctl-2",
      workspace_attached_client_id: "ctl-2",
      last_lease_action: "takeover",
      last_lease_reason: "ctl-1 gone",
    });
    await ok(c1, "pty_write", { session_id: a.session_id, ...O, client_id: "ctl-2", data: "one\r" });
    await ok(c1, "pty_read_until", {
      session_id: a.session_id,
      ...O,
      client_id: "ctl-2",
      pattern: "pane-a:one",
      timeout_ms: 5000,
    });

    // Restart: the named panes outlive the server; pty_resume only sees live sessions, pty_recover rebuilds.
    await servers.shift()!.close();
    const c2 = await server(dir);
    expect(await fails(c2, "pty_resume", { name: "pane-b", ...O })).toMatch(/pty_recover/);
    const r = await ok(c2, "pty_recover", { name: "pane-b", ...O });
    expect(r.sessions).toHaveLength(2);
    const rb = r.sessions.find((x: { name: string }) => x.name === "pane-b");
    expect(rb).toMatchObject({
      recovered: true,
      attached_client_id: null,
      last_lease_action: "takeover",
      running: true,
    });
    await ok(c2, "pty_write", { session_id: rb.session_id, ...O, data: "two\r" });
    const u = await ok(c2, "pty_read_until", {
      session_id: rb.session_id,
      ...O,
      pattern: "pane-b:two",
      timeout_ms: 5000,
    });
    expect(u.matched).toBe(true);
    const resumed = await ok(c2, "pty_resume", { name: "pane-a", ...O });
    expect(resumed.session_id).toBe(a.session_id);
    expect(await fails(c2, "pty_recover", { name: "pane-a", ...O })).toMatch(/already live/);
    await ok(c2, "pty_close", { session_id: a.session_id, ...O });
    await ok(c2, "pty_close", { session_id: rb.session_id, ...O });
    expect(await fails(c2, "pty_recover", { name: "nope", ...O })).toMatch(/no persisted/);
  }, 60_000);

  // tmux can close a pane's terminal and miss the child's SIGCHLD (libutempter swaps the handler during
  // pane teardown), leaving pane_dead=1 with no pane_dead_status; that used to come out as exit_code null.
  // Sequential on purpose: with one pane at a time no other child's exit makes tmux reap the lost one.
  it("reports the real exit code of every pane, 25 exits in a row (lost-SIGCHLD regression)", async () => {
    const c = await server(tempDir("pty-tmux-"));
    const results = [];
    for (let i = 1; i <= 25; i++) results.push(await runToExit(c, i));
    expect(results).toEqual(
      Array.from({ length: 25 }, (_, i) => ({
        running: false,
        exit_code: i + 1,
        signal: null,
        exit_reason: "exited",
        out: `run-${i + 1}`,
      })),
    );
  }, 120_000);

  it("a pane killed or a tmux server gone outside mcpkit ends the session with the status honestly unknown", async () => {
    const dir = tempDir("pty-tmux-");
    const c = await server(dir);
    // b keeps the tmux server up while a's pane is killed (a server left with no session exits).
    const b = await ok(c, "pty_spawn", { command: "sleep 60", ...O, backend: "tmux" });
    const a = await ok(c, "pty_spawn", {
      command: "printf up; sleep 60",
      ...O,
      backend: "tmux",
      wait_ms: 2000,
    });
    expect(a.output).toContain("up");
    tmuxAt(dir, "kill-pane", "-t", paneOf(dir, a.pid));
    const wa = await ok(c, "pty_wait", { session_id: a.session_id, ...O, timeout_ms: 20_000 });
    expect(wa).toMatchObject({ running: false, exit_code: null, signal: null, exit_reason: "pane_vanished" });
    expect((await ok(c, "pty_read_at", { session_id: a.session_id, ...O, offset: 0 })).text).toBe("up");
    expect((await ok(c, "pty_status", { session_id: b.session_id, ...O })).running).toBe(true);

    tmuxAt(dir, "kill-server");
    const wb = await ok(c, "pty_wait", { session_id: b.session_id, ...O, timeout_ms: 20_000 });
    expect(wb).toMatchObject({ running: false, exit_code: null, signal: null, exit_reason: "tmux_exited" });

    // The backend starts a fresh tmux server for the next session.
    expect(await runToExit(c, 7)).toMatchObject({ exit_code: 7, exit_reason: "exited", out: "run-7" });
  }, 60_000);
});
