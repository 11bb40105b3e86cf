import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { UpstreamConnection, UpstreamError } from "../../lib/upstream/index.ts";
import { FLAKY, firstText, isAlive, LAUNCHER, SLOW, waitFor } from "./helpers.ts";

describe("UpstreamConnection against the flaky fixture (stdio)", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-upstream-"));
  const cancelLog = join(dir, "cancelled.jsonl");
  const conn = new UpstreamConnection(
    {
      name: "flaky",
      transport: "stdio",
      command: "node",
      args: [FLAKY],
      env: { FIXTURE_CANCEL_LOG: cancelLog },
    },
    { backoff: () => 10 },
  );

  beforeAll(async () => {
    await conn.connect();
  }, SLOW);
  afterAll(async () => {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "follows nextCursor across pages and reports health",
    async () => {
      const tools = await conn.listTools();
      expect(tools.map((t) => t.name)).toEqual([
        "echo",
        "crash",
        "hang",
        "slow",
        "add_tool",
        "last_cancelled",
        "pid",
      ]);
      const h = conn.health();
      expect(h).toMatchObject({
        name: "flaky",
        state: "connected",
        toolCount: 7,
        restarts: 0,
        protocolVersion: "2025-11-25",
      });
      expect(h.serverInfo?.name).toBe("flaky-fixture");
      expect(typeof h.pid).toBe("number");
    },
    SLOW,
  );

  it(
    "times out a call that never answers and sends notifications/cancelled",
    async () => {
      const err = await conn.callTool("hang", {}, { timeoutMs: 200 }).catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.kind).toBe("timeout");
      expect(err.message).toContain("'hang'");
      expect(err.message).toContain("'flaky'");
      // Both the wire record (a file) and the server's own view agree.
      const logged = await waitFor(() =>
        readFileSync(cancelLog, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l)),
      );
      expect(logged.length).toBeGreaterThanOrEqual(1);
      const seen = JSON.parse(firstText(await conn.callTool("last_cancelled")));
      expect(seen[0].requestId).toBe(logged[0].requestId);
    },
    SLOW,
  );

  it(
    "cancels on AbortSignal and tells the server",
    async () => {
      const before = JSON.parse(firstText(await conn.callTool("last_cancelled"))).length;
      const ac = new AbortController();
      const call = conn.callTool("hang", {}, { signal: ac.signal, timeoutMs: 60_000 });
      setTimeout(() => ac.abort(new Error("user pressed stop")), 50);
      const err = await call.catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.kind).toBe("cancelled");
      const after = await waitFor(async () => {
        const list = JSON.parse(firstText(await conn.callTool("last_cancelled")));
        return list.length > before ? list : undefined;
      });
      expect(after.at(-1).reason).toContain("user pressed stop");
    },
    SLOW,
  );

  it(
    "calls onProgress for progress notifications",
    async () => {
      const onProgress = vi.fn();
      const result = await conn.callTool("slow", {}, { onProgress });
      expect(firstText(result)).toBe("done");
      expect(onProgress).toHaveBeenCalledTimes(3);
      expect(onProgress.mock.calls.at(-1)?.[0]).toMatchObject({ progress: 3, total: 3 });
    },
    SLOW,
  );

  it(
    "refreshes the tool cache on tools/list_changed and tells listeners",
    async () => {
      const seen: string[][] = [];
      const off = conn.onToolsChanged((tools) => seen.push(tools.map((t) => t.name)));
      const added = firstText(await conn.callTool("add_tool"));
      await waitFor(() => seen.some((names) => names.includes(added)));
      off();
      expect((await conn.listTools()).map((t) => t.name)).toContain(added);
      expect(conn.health().toolCount).toBe(8);
    },
    SLOW,
  );

  it(
    "reconnects after the server crashes; the call in flight fails naming the server",
    async () => {
      const oldPid = conn.pid!;
      const err = await conn.callTool("crash").catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.kind).toBe("closed");
      expect(err.message).toContain("'flaky'");
      expect(conn.health().lastError ?? err.message).toMatch(
        /exited with code 3|crashing on purpose|connection/,
      );
      await waitFor(() => conn.state === "connected" && conn.pid !== oldPid);
      expect(conn.health().restarts).toBe(1);
      expect(firstText(await conn.callTool("echo", { text: "again" }))).toBe("again");
      expect(isAlive(oldPid)).toBe(false);
    },
    SLOW,
  );
});

describe("connect failures", () => {
  it(
    "a missing command is a clear connect error naming the server",
    async () => {
      const conn = new UpstreamConnection({
        name: "ghost",
        transport: "stdio",
        command: "mcpkit-no-such-command-xyz",
        args: [],
        env: {},
      });
      const err = await conn.connect().catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.message).toContain("'ghost'");
      expect(err.message).toContain("not found");
      expect(conn.health()).toMatchObject({ state: "failed", toolCount: 0 });
      await conn.close();
    },
    SLOW,
  );

  it(
    "a server that dies at start quotes its stderr",
    async () => {
      const conn = new UpstreamConnection({
        name: "dies",
        transport: "stdio",
        command: "node",
        args: ["-e", "console.error('boom: missing DATABASE_URL'); process.exit(2)"],
        env: {},
      });
      const err = await conn.connect().catch((e) => e);
      expect(err.message).toContain("'dies'");
      expect(err.message).toContain("boom: missing DATABASE_URL");
      await conn.close();
    },
    SLOW,
  );

  it(
    "a server that never answers initialize hits the connect timeout and is killed",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "mcpkit-mute-"));
      const pidFile = join(dir, "pid");
      const conn = new UpstreamConnection({
        name: "mute",
        transport: "stdio",
        command: "node",
        args: [
          "-e",
          "require('fs').writeFileSync(process.env.PID_FILE, String(process.pid)); setInterval(() => {}, 1000)",
        ],
        env: { PID_FILE: pidFile },
        connectTimeoutMs: 1000,
      });
      const err = await conn.connect().catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.kind).toBe("timeout");
      expect(err.message).toContain("'mute'");
      const pid = Number(readFileSync(pidFile, "utf8"));
      await waitFor(() => !isAlive(pid));
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
    SLOW,
  );
});

describe("a server behind a launcher (like npx)", () => {
  it(
    "when the launcher dies, the server it left behind is killed and the connection comes back",
    async () => {
      const conn = new UpstreamConnection(
        // The server ignores stdin EOF, so nothing but a signal to the whole group can stop it.
        {
          name: "launched",
          transport: "stdio",
          command: "node",
          args: [LAUNCHER, FLAKY],
          env: { FIXTURE_IGNORE_EOF: "1" },
        },
        { backoff: () => 10 },
      );
      try {
        await conn.connect();
        const launcher = conn.pid!;
        const server = Number(firstText(await conn.callTool("pid")));
        expect(server).not.toBe(launcher);
        // The orphaned server still holds the pipes; only a group kill lets the transport notice and recover.
        process.kill(launcher, "SIGKILL");
        await waitFor(() => conn.state === "connected" && conn.pid !== launcher);
        await waitFor(() => !isAlive(server));
        const next = Number(firstText(await conn.callTool("pid")));
        expect(isAlive(next)).toBe(true);
        await conn.close();
        await waitFor(() => !isAlive(next));
        expect(isAlive(conn.pid ?? launcher)).toBe(false);
      } finally {
        await conn.close();
      }
    },
    SLOW,
  );
});

describe("close while connecting", () => {
  it(
    "does not wait for the connect timeout and leaves nothing running",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "mcpkit-closing-"));
      const pidFile = join(dir, "pid");
      const conn = new UpstreamConnection({
        name: "slowstart",
        transport: "stdio",
        command: "node",
        args: [
          "-e",
          "require('fs').writeFileSync(process.env.PID_FILE, String(process.pid)); setInterval(() => {}, 1000)",
        ],
        env: { PID_FILE: pidFile },
        connectTimeoutMs: 120_000,
      });
      const connecting = conn.connect().catch((e) => e);
      const pid = await waitFor(() => Number(readFileSync(pidFile, "utf8")));
      // With a two-minute connect timeout, only an abandoned attempt lets this finish within the test timeout.
      await conn.close();
      expect(await connecting).toBeInstanceOf(Error);
      expect(conn.state).toBe("closed");
      await waitFor(() => !isAlive(pid));
      rmSync(dir, { recursive: true, force: true });
    },
    SLOW,
  );
});
