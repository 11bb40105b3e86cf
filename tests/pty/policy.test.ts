import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { waitFor } from "../helpers/mcpkit.ts";
import { call, fails, ok, startPty, tempDir, text } from "./helpers.ts";

const DEFAULT_TOOLS = [
  "pty_spawn",
  "pty_resume",
  "pty_recover",
  "pty_attach",
  "pty_detach",
  "pty_handoff",
  "pty_takeover",
  "pty_read",
  "pty_read_stdout",
  "pty_read_stderr",
  "pty_read_at",
  "pty_read_until",
  "pty_read_until_any",
  "pty_read_quiescent",
  "pty_prompt",
  "confirm_dangerous_command",
  "pty_write",
  "pty_resize",
  "pty_close",
  "pty_status",
  "pty_wait",
  "pty_list",
];
const ADMIN = [
  "pty_close_all",
  "set_default_cwd",
  "get_default_cwd",
  "set_limits",
  "get_limits",
  "pty_metrics",
  "pty_health",
];

const logDir = tempDir("pty-logs-");
let def: StdioSession;
let full: StdioSession;
beforeAll(async () => {
  [def, full] = await Promise.all([
    startPty({ PTY_MCP_SESSION_LOG_DIR: logDir, PTY_MCP_DANGEROUS_CONFIRM_TTL_SEC: "1" }),
    startPty({
      PTY_MCP_ENABLE_ADMIN_TOOLS: "1",
      PTY_MCP_ENABLE_CONTROL_TOOLS: "1",
      PTY_MCP_MAX_SESSIONS: "2",
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([def?.close(), full?.close()]);
});

describe("tool exposure", () => {
  it("lists the default tools plus pty_screen, hides control/admin tools and refuses them by name", async () => {
    const names = (await def.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual([...DEFAULT_TOOLS, "pty_screen"].sort());
    expect(def.client.getServerVersion()?.name).toBe("pty-mcp");
    for (const hidden of ["pty_signal", "pty_health"]) {
      expect(await fails(def.client, hidden, {})).toBe(`tool disabled by policy: ${hidden}`);
    }
    const all = (await full.client.listTools()).tools.map((t) => t.name);
    for (const n of [...ADMIN, "pty_signal"]) expect(all).toContain(n);
  });

  it("every tool declares a title, all four annotation hints, a strict input schema and an output schema", async () => {
    for (const t of (await full.client.listTools()).tools) {
      expect(t.title, t.name).toBeTruthy();
      for (const h of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof t.annotations?.[h], `${t.name}.${h}`).toBe("boolean");
      }
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      expect(t.outputSchema, t.name).toBeTruthy();
    }
  });

  it("admin tools: limits, default cwd, metrics, health, max sessions, close_all", async () => {
    const c = full.client;
    expect(await ok(c, "get_limits")).toEqual({
      max_output_bytes: 1048576,
      spawn_timeout_sec: 0,
      idle_timeout_sec: 900,
      read_timeout_ms: 300,
      rate_limit_bps: 0,
      input_rate_bps: 0,
    });
    expect((await ok(c, "set_limits", { read_timeout_ms: 100 })).read_timeout_ms).toBe(100);
    const cwd = tempDir("pty-cwd-");
    expect((await ok(c, "set_default_cwd", { cwd })).ok).toBe(true);
    expect((await ok(c, "get_default_cwd")).cwd).toContain("pty-cwd-");
    const a = await ok(c, "pty_spawn", { command: "pwd; sleep 30", owner: "o", wait_ms: 2000 });
    expect(a.output).toContain("pty-cwd-");
    await ok(c, "pty_spawn", { command: "sleep 30", owner: "o" });
    expect(await fails(c, "pty_spawn", { command: "sleep 30", owner: "o" })).toMatch(
      /too many sessions \(max 2\)/,
    );
    expect((await ok(c, "pty_health")).max_sessions).toBe(2);
    expect((await ok(c, "pty_metrics")).running_count).toBe(2);
    expect((await ok(c, "pty_close_all")).closed).toBe(2);
    expect((await ok(c, "pty_metrics")).session_count).toBe(0);
  });
});

describe("owner, scope and signals", () => {
  it("enforces owner and scope before anything else", async () => {
    const c = full.client;
    expect(await fails(c, "pty_spawn", { command: "echo hi" })).toMatch(/owner is required for spawn/);
    const id = text(await call(c, "pty_spawn", { command: "cat", owner: "alice", scope: "read-only" }));
    expect(await fails(c, "pty_read", { session_id: id, owner: "bob" })).toMatch(/session owner mismatch/);
    expect(await fails(c, "pty_read", { session_id: id })).toMatch(/owner is required for this session/);
    expect(await fails(c, "pty_write", { session_id: id, owner: "alice", data: "x" })).toBe(
      "scope 'read-only' does not allow tool 'pty_write'",
    );
    expect(await fails(c, "pty_close", { session_id: id, owner: "alice" })).toMatch(/does not allow/);
    expect((await ok(c, "pty_status", { session_id: id, owner: "alice" })).scope).toBe("read-only");
    expect(await fails(c, "pty_signal", { session_id: id, owner: "alice", sig: "TERM" })).toMatch(
      /scope 'read-only' does not allow tool 'pty_signal'/,
    );
    await ok(c, "pty_close_all");

    const ctl = text(await call(c, "pty_spawn", { command: "sleep 30", owner: "alice", scope: "control" }));
    expect(await fails(c, "pty_signal", { session_id: ctl, owner: "alice", sig: "SIGUSR1" })).toMatch(
      /unsupported signal: SIGUSR1/,
    );
    expect((await ok(c, "pty_signal", { session_id: ctl, owner: "alice", sig: "TERM" })).ok).toBe(true);
    const w = await ok(c, "pty_wait", { session_id: ctl, owner: "alice", timeout_ms: 5000 });
    expect(w).toMatchObject({ running: false, exit_code: null, signal: "SIGTERM", exit_reason: "signaled" });
    await ok(c, "pty_close_all");
  });

  it("client leases gate interactive tools but not observational ones", async () => {
    const c = def.client;
    const O = { owner: "lease" };
    const id = text(await call(c, "pty_spawn", { command: "cat", ...O }));
    await ok(c, "pty_attach", { session_id: id, ...O, client_id: "a" });
    expect((await ok(c, "pty_attach", { session_id: id, ...O, client_id: "a" })).already_attached).toBe(true);
    expect(await fails(c, "pty_attach", { session_id: id, ...O, client_id: "b" })).toMatch(/pty_takeover/);
    expect(await fails(c, "pty_write", { session_id: id, ...O, data: "x" })).toMatch(/client_id/);
    expect(await fails(c, "pty_write", { session_id: id, ...O, client_id: "b", data: "x" })).toMatch(
      /another client/,
    );
    await ok(c, "pty_write", { session_id: id, ...O, client_id: "a", data: "hi\r" });
    await ok(c, "pty_status", { session_id: id, ...O });
    await ok(c, "pty_read_at", { session_id: id, ...O });
    await ok(c, "pty_wait", { session_id: id, ...O, timeout_ms: 0 });
    // The lease never overrides the owner check.
    expect(await fails(c, "pty_attach", { session_id: id, owner: "mallory", client_id: "a" })).toMatch(
      /owner mismatch/,
    );
    const h = await ok(c, "pty_handoff", {
      session_id: id,
      ...O,
      client_id: "a",
      target_client_id: "b",
      reason: "shift change",
    });
    expect(h).toMatchObject({
      attached_client_id: "b",
      last_lease_action: "handoff",
      last_lease_from_client_id: "a",
      last_lease_reason: "shift change",
    });
    expect(
      await fails(c, "pty_handoff", { session_id: id, ...O, client_id: "a", target_client_id: "c" }),
    ).toMatch(/lease holder/);
    await ok(c, "pty_takeover", {
      session_id: id,
      ...O,
      client_id: "c",
      from_client_id: "b",
      reason: "b gone",
    });
    await ok(c, "pty_detach", { session_id: id, ...O, client_id: "c" });
    await ok(c, "pty_write", { session_id: id, ...O, data: "free\r" });
    await ok(c, "pty_resize", { session_id: id, ...O, cols: 100, rows: 30 });
    await ok(c, "pty_close", { session_id: id, ...O });
    const events = readFileSync(join(logDir, id, "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const kinds = events.map((e) => e.event);
    for (const k of ["spawn", "attach", "write", "handoff", "takeover", "detach", "resize", "close", "exit"])
      expect(kinds).toContain(k);
    expect(events.find((e) => e.event === "write")).toMatchObject({ bytes: 3 });
    expect(events.find((e) => e.event === "resize")).toMatchObject({ cols: 100, rows: 30 });
    expect(JSON.stringify(events)).not.toContain("free");
    await waitFor(() => readFileSync(join(logDir, id, "transcript.log"), "utf8").includes("hi"));
  });
});

describe("dangerous commands", () => {
  const O = { owner: "ops" };
  it("needs a single-use token bound to command, owner and scope", async () => {
    const c = def.client;
    // "true || reboot" is flagged (reboot at a command position) but never reboots anything.
    const CMD = "true || reboot";
    expect(await fails(c, "pty_spawn", { command: CMD, ...O })).toMatch(
      /dangerous command detected; confirmation token required/,
    );
    expect(await ok(c, "confirm_dangerous_command", { command: "ls" })).toEqual({
      ok: true,
      dangerous: false,
      matches: [],
    });
    const noJust = await ok(c, "confirm_dangerous_command", { command: CMD, ...O });
    expect(noJust).toMatchObject({ ok: false, dangerous: true, error: "justification required" });
    const tok = await ok(c, "confirm_dangerous_command", { command: CMD, justification: "test", ...O });
    expect(tok.confirm_token).toMatch(/^dc_[0-9a-f]{32}$/);
    expect(tok.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(
      await fails(c, "pty_spawn", {
        command: "shutdown now",
        ...O,
        dangerous_confirm_token: tok.confirm_token,
      }),
    ).toMatch(/does not match command/);
    expect(
      await fails(c, "pty_spawn", { command: CMD, owner: "bob", dangerous_confirm_token: tok.confirm_token }),
    ).toMatch(/owner mismatch/);
    expect(
      await fails(c, "pty_spawn", {
        command: CMD,
        ...O,
        scope: "control",
        dangerous_confirm_token: tok.confirm_token,
      }),
    ).toMatch(/scope mismatch/);
    // Accepted once, then used up.
    const id = text(
      await call(c, "pty_spawn", { command: CMD, ...O, dangerous_confirm_token: tok.confirm_token }),
    );
    expect(id).toMatch(/^\d+-/);
    expect(
      await fails(c, "pty_spawn", { command: CMD, ...O, dangerous_confirm_token: tok.confirm_token }),
    ).toMatch(/invalid or expired/);
    const late = await ok(c, "confirm_dangerous_command", { command: CMD, justification: "x", ...O });
    await new Promise((r) => setTimeout(r, 1300));
    expect(
      await fails(c, "pty_spawn", { command: CMD, ...O, dangerous_confirm_token: late.confirm_token }),
    ).toMatch(/invalid or expired/);
    // Mentions are not commands.
    expect(
      (await ok(c, "confirm_dangerous_command", { command: "echo reboot; grep shutdown log" })).dangerous,
    ).toBe(false);
    for (const cmd of [
      "rm -rf /*",
      "rm -fr /",
      "rm -r -f /",
      "rm -rf / --no-preserve-root",
      "dd if=/dev/zero of=/dev/sda",
      "mkfs.ext4 /dev/sdb",
      ":(){ :|:& };:",
      "chmod -R 777 /",
    ]) {
      expect((await ok(c, "confirm_dangerous_command", { command: cmd })).dangerous, cmd).toBe(true);
    }
  });

  it("screens lines typed into a running shell", async () => {
    const c = def.client;
    const id = text(await call(c, "pty_spawn", { command: "cat", ...O }));
    expect(await fails(c, "pty_write", { session_id: id, ...O, data: "rm -rf /\r" })).toMatch(
      /dangerous command detected in input/,
    );
    expect(await fails(c, "pty_write", { session_id: id, ...O, data: "rm -fr /*", keys: ["Enter"] })).toMatch(
      /dangerous/,
    );
    const t = await ok(c, "confirm_dangerous_command", {
      command: "rm -rf /",
      justification: "cat only echoes it",
      ...O,
    });
    await ok(c, "pty_write", {
      session_id: id,
      ...O,
      data: "rm -rf /\r",
      dangerous_confirm_token: t.confirm_token,
    });
    await ok(c, "pty_write", { session_id: id, ...O, data: "echo rm is fine\r" });
    await ok(c, "pty_close", { session_id: id, ...O });
  });

  it("legacy confirmation mode and owner-optional mode", async () => {
    const s = await startPty({
      PTY_MCP_DANGEROUS_LEGACY_MODE: "1",
      PTY_MCP_REQUIRE_OWNER: "0",
      PTY_MCP_DANGEROUS_PATTERNS: "printf dangerous-ok",
    });
    try {
      expect(await fails(s.client, "pty_spawn", { command: "printf dangerous-ok" })).toMatch(
        /use confirm_dangerous_command/,
      );
      const r = await ok(s.client, "pty_spawn", {
        command: "printf dangerous-ok",
        dangerous_justification: "legacy",
        wait_ms: 2000,
      });
      expect(r.output).toContain("dangerous-ok");
      expect((await ok(s.client, "pty_list", {})).count).toBe(1);
      await ok(s.client, "pty_read", { session_id: r.session_id });
    } finally {
      await s.close();
    }
  });
});
