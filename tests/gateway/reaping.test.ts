import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isAlive, ROOT, waitFor } from "../helpers/mcpkit.ts";
import { mcpkit } from "./cli-helpers.ts";
import { type CallOutcome, call, type GatewaySession, openGateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 120_000;
const FIXTURE = resolve(ROOT, "tests/fixtures/gateway/lifecycle-server.mjs");

const starts = (path: string) =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("start ")).length
    : 0;

type Row = Record<string, any>;
const rows = (h: CallOutcome): Record<string, Row> =>
  Object.fromEntries(h.data.servers.map((r: Row) => [r.name, r]));

/** A server of the lifecycle fixture with an echo tool and a `<name>_hold` tool that keeps a call in flight. */
function fixtureServer(dir: string, name: string) {
  const tools = writeJson(join(dir, `${name}.tools.json`), [
    { name: `${name}_echo`, description: `Echo text back from ${name}`, params: { text: "string" } },
    { name: `${name}_hold`, description: `Hold a call open on ${name} for ms`, params: { ms: "number" } },
  ]);
  const log = join(dir, `${name}.log`);
  return {
    log,
    spec: { command: "node", args: [FIXTURE], env: { FIXTURE_LOG: log, FIXTURE_TOOLS_FILE: tools } },
  };
}

async function health(gw: GatewaySession): Promise<CallOutcome> {
  return call(gw.client, "health");
}

/** Polls health until `check` holds for it (no fixed sleeps). */
async function healthWhen(gw: GatewaySession, check: (r: Record<string, Row>, h: CallOutcome) => boolean) {
  return (await waitFor(async () => {
    const h = await health(gw);
    return check(rows(h), h) ? h : undefined;
  }, 30_000))!;
}

const echo = (gw: GatewaySession, server: string, text = "x") =>
  call(gw.client, "invoke", { tool_id: `${server}::${server}_echo`, arguments: { text } });

for (const transport of ["stdio", "http"] as const) {
  describe(`gateway downstream lifecycle over ${transport}`, () => {
    it(
      "stops a server idle for idle_timeout and restarts it transparently; autoStart and busy servers stay up",
      async () => {
        const s = scratch();
        const a = fixtureServer(s.dir, "a");
        const eager = fixtureServer(s.dir, "eager");
        writeJson(join(s.dir, ".mcp.json"), {
          autoStart: ["eager"],
          mcpServers: { a: a.spec, eager: eager.spec },
        });
        const policy = join(s.dir, "policy.yaml");
        writeFileSync(policy, "lifecycle:\n  idle_timeout: 1\n");
        const gw = await openGateway(transport, ["--policy", policy], s.env(), s.dir);
        try {
          // Indexing leaves `a` stopped; using it starts it.
          await healthWhen(gw, (r) => r.a?.index?.state === "indexed" && r.a.state === "configured");
          const first = await echo(gw, "a", "one");
          expect(first.text).toBe("a_echo: one");
          const running = await health(gw);
          expect(rows(running).a!.state).toBe("invoked");
          const pid = rows(running).a!.pid as number;
          expect(isAlive(pid)).toBe(true);
          expect(running.data.lifecycle).toMatchObject({ idle_timeout_s: 1, max_running: 32 });
          // Unused for a second: stopped, and says why.
          const reaped = await healthWhen(gw, (r) => r.a?.state === "configured");
          expect(rows(reaped).a!.stopped.reason).toBe("idle");
          expect(reaped.data.lifecycle.reaped_idle).toBeGreaterThanOrEqual(1);
          await waitFor(() => !isAlive(pid));
          // The autoStart server is never reaped.
          expect(rows(reaped).eager!.state).toBe("started");
          // Next use starts it again, transparently.
          const before = starts(a.log);
          const again = await echo(gw, "a", "two");
          expect(again.text).toBe("a_echo: two");
          expect(starts(a.log)).toBe(before + 1);
          // A call in flight for longer than the idle timeout is not cut off by reaping.
          const held = await call(gw.client, "invoke", {
            tool_id: "a::a_hold",
            arguments: { ms: 2500 },
          });
          expect(held.isError).toBe(false);
          expect(held.text).toBe("a_hold: ");
          expect(starts(a.log)).toBe(before + 1);
        } finally {
          await gw.close();
        }
      },
      TIMEOUT,
    );

    it(
      "keeps at most max_running processes, stopping the least recently used idle one, never one with a call in flight",
      async () => {
        const s = scratch();
        const servers = Object.fromEntries(["a", "b", "c"].map((n) => [n, fixtureServer(s.dir, n)]));
        writeJson(join(s.dir, ".mcp.json"), {
          mcpServers: Object.fromEntries(Object.entries(servers).map(([n, f]) => [n, f.spec])),
        });
        const policy = join(s.dir, "policy.yaml");
        writeFileSync(policy, "lifecycle:\n  max_running: 2\n");
        const gw = await openGateway(transport, ["--policy", policy], s.env(), s.dir);
        try {
          // Indexing three servers under a cap of two still indexes them all.
          const indexed = await healthWhen(gw, (r) =>
            ["a", "b", "c"].every((n) => r[n]?.index?.state === "indexed" && r[n].state === "configured"),
          );
          expect(indexed.data.lifecycle).toMatchObject({ max_running: 2, running_processes: 0 });
          await echo(gw, "a");
          await echo(gw, "b");
          expect((await health(gw)).data.lifecycle.running_processes).toBe(2);
          // A third server: `a`, the least recently used, makes room.
          await echo(gw, "c");
          const h1 = await health(gw);
          expect(h1.data.lifecycle.running_processes).toBe(2);
          expect(rows(h1).a).toMatchObject({ state: "configured", stopped: { reason: "evicted" } });
          expect(rows(h1).b!.state).toBe("invoked");
          expect(h1.data.lifecycle.evicted).toBeGreaterThanOrEqual(1);
          // `b` gets a call in flight, then `c` is used: `b` is now the least recently used, but busy.
          const holdLog = () => readFileSync(servers.b!.log, "utf8");
          const hold = call(gw.client, "invoke", { tool_id: "b::b_hold", arguments: { ms: 60_000 } });
          await waitFor(() => holdLog().includes("call b_hold"));
          await echo(gw, "c");
          const back = await echo(gw, "a", "back");
          expect(back.text).toBe("a_echo: back");
          const h2 = await health(gw);
          expect(rows(h2).c).toMatchObject({ state: "configured", stopped: { reason: "evicted" } });
          expect(rows(h2).b!.state).toBe("invoked");
          expect(h2.data.lifecycle.running_processes).toBe(2);
          // Both running servers busy: a start is refused with what to do, not queued forever.
          const holdA = call(gw.client, "invoke", { tool_id: "a::a_hold", arguments: { ms: 60_000 } });
          await waitFor(() => readFileSync(servers.a!.log, "utf8").includes("call a_hold"));
          const refused = await echo(gw, "c");
          expect(refused.isError).toBe(true);
          expect(refused.data.code).toBe("max_running");
          expect(refused.text).toContain("max_running");
          // Cancel the held calls; then `c` starts again.
          const pending = await call(gw.client, "list_pending");
          for (const p of pending.data.requests) {
            await call(gw.client, "cancel", { request_id: p.request_id, force: true });
          }
          for (const r of await Promise.all([hold, holdA])) expect(r.data.code).toBe("cancelled");
          const last = await echo(gw, "c", "last");
          expect(last.text).toBe("c_echo: last");
        } finally {
          await gw.close();
        }
      },
      TIMEOUT,
    );
  });
}

describe("gateway process cap under concurrent starts", () => {
  it(
    "three servers started at once under max_running 2: all calls succeed, never more than two run",
    async () => {
      const s = scratch();
      const servers = Object.fromEntries(["a", "b", "c"].map((n) => [n, fixtureServer(s.dir, n)]));
      writeJson(join(s.dir, ".mcp.json"), {
        mcpServers: Object.fromEntries(Object.entries(servers).map(([n, f]) => [n, f.spec])),
      });
      const policy = join(s.dir, "policy.yaml");
      writeFileSync(policy, "lifecycle:\n  max_running: 2\n");
      const gw = await openGateway("stdio", ["--policy", policy], s.env(), s.dir);
      try {
        await healthWhen(gw, (r) =>
          ["a", "b", "c"].every((n) => r[n]?.index?.state === "indexed" && r[n].state === "configured"),
        );
        const results = await Promise.all(["a", "b", "c"].map((n) => echo(gw, n, n)));
        expect(results.map((r) => r.text)).toEqual(["a_echo: a", "b_echo: b", "c_echo: c"]);
        const h = await health(gw);
        expect(h.data.lifecycle.running_processes).toBe(2);
        expect(h.data.lifecycle.evicted).toBeGreaterThanOrEqual(1);
        // Every process that was stopped is gone: only two fixture processes are alive.
        const pids = Object.values(servers).flatMap((f) =>
          readFileSync(f.log, "utf8")
            .split("\n")
            .filter((l) => l.startsWith("start "))
            .map((l) => Number(l.split(" ")[1])),
        );
        await waitFor(() => pids.filter((p) => isAlive(p)).length === 2);
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );
});

describe("gateway lifecycle flags", () => {
  it(
    "--idle-timeout and --max-running override the policy; a bad value stops start-up naming the variable",
    async () => {
      const s = scratch();
      const policy = join(s.dir, "policy.yaml");
      writeFileSync(policy, "lifecycle:\n  idle_timeout: 5m\n  max_running: 8\n");
      const gw = await openGateway(
        "stdio",
        ["--policy", policy, "--idle-timeout", "90s"],
        s.env({ MCPKIT_MAX_RUNNING: "3" }),
        s.dir,
      );
      try {
        const h = await health(gw);
        expect(h.data.lifecycle).toMatchObject({ idle_timeout_s: 90, max_running: 3 });
      } finally {
        await gw.close();
      }
      const bad = mcpkit(["gateway", "--max-running", "lots"], s.env(), s.dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("MCPKIT_MAX_RUNNING");
      const badPolicy = join(s.dir, "bad.yaml");
      writeFileSync(badPolicy, "lifecycle:\n  idle_timeout: soon\n");
      const r = mcpkit(["gateway", "--policy", badPolicy], s.env(), s.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${badPolicy}:2: lifecycle.idle_timeout`);
    },
    TIMEOUT,
  );
});
