// Faults: downstream MCP servers that crash, hang, answer slowly, send garbage or exit mid-stream
// (gateway, ptc); REST backends that time out, reset connections, return 5xx or HTML, or truncate
// bodies (ptm, trueppm); PTY children that ignore SIGTERM or fork grandchildren (pty). Each ends in a
// clear error, recovery where promised, and no leftover process.
import { resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import * as D from "../fixtures/trueppm/data.ts";
import { ROOT, type StdioSession } from "../helpers/mcpkit.ts";
import { type FaultMode, FaultProxy } from "./fault-proxy.ts";
import {
  CANARY,
  CanaryWatch,
  Counters,
  descendants,
  eventually,
  HANG_MS,
  LONG,
  sleep,
  stillRunning,
} from "./harness.ts";
import { FAULTY, MOCK, prepare, type Rig, stdio } from "./servers.ts";

const T = HANG_MS * 6;
const BAD = resolve(ROOT, "tests/reliability/fixtures/bad-downstream.mjs");
const counters = new Counters("faults");
const watch = new CanaryWatch();
const rigs: Rig[] = [];
const proxies: FaultProxy[] = [];

afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const r of rigs) await r.close();
  counters.flush();
}, T);

interface Answer {
  isError: boolean;
  text: string;
  structured: Record<string, any>;
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  timeout = HANG_MS,
): Promise<Answer> {
  const r = (await client.callTool({ name, arguments: args }, { timeout })) as {
    isError?: boolean;
    content?: { type: string; text?: string }[];
    structuredContent?: Record<string, any>;
  };
  watch.seen(r);
  return {
    isError: r.isError === true,
    text: (r.content ?? []).map((c) => c.text ?? "").join("\n"),
    structured: r.structuredContent ?? {},
  };
}

/** A clear error: says something, no stack trace, no HTML, no secret. */
function expectClearError(a: Answer, what: string): void {
  expect(a.isError, `${what}: ${a.text}`).toBe(true);
  expect(a.text.trim().length, what).toBeGreaterThan(10);
  expect(a.text, what).not.toMatch(/\n\s+at .+:\d+:\d+|<html|<!doctype/i);
  for (const secret of Object.values(CANARY)) expect(a.text).not.toContain(secret);
}

/** Closes the session and checks the server and every process it started are gone. */
async function closeWithoutLeftovers(s: StdioSession): Promise<void> {
  const kids = descendants(s.pid!);
  await s.close();
  const gone = await eventually(() => stillRunning([s.pid!, ...kids]).length === 0, 15_000);
  const left = gone ? [] : stillRunning([s.pid!, ...kids]);
  counters.add("leaksFound", left.length);
  expect(left).toEqual([]);
}

const DOWNSTREAMS = {
  slowmock: { command: "node", args: [MOCK] },
  noisy: { command: "node", args: [BAD], env: { BAD_MODE: "noisy", LEAKY_TOKEN: CANARY.downstream } },
  halfway: { command: "node", args: [BAD], env: { BAD_MODE: "exit-mid-stream" } },
  deadbeat: { command: "node", args: [BAD], env: { BAD_MODE: "garbage-then-exit" } },
};

describe("gateway: downstream servers that misbehave", () => {
  it(
    "crash, hang, slow answers, stdout garbage and exits mid-stream end in clear errors, then recover",
    async () => {
      const rig = await prepare("gateway", { downstream: DOWNSTREAMS });
      rigs.push(rig);
      const s = await stdio(rig, watch);
      const inv = (tool_id: string, args: Record<string, unknown> = {}, timeout_ms?: number) =>
        call(s.client, "gateway_invoke", {
          tool_id,
          arguments: args,
          ...(timeout_ms ? { options: { timeout_ms } } : {}),
        });
      const fault = async (what: string, run: () => Promise<void>) => {
        counters.add("faultsInjected");
        await run();
        // The gateway itself still answers.
        expect((await call(s.client, "gateway_health", {})).isError, `${what}: health`).toBe(false);
        counters.add("faultsSurvived");
      };
      await fault("crash", async () => {
        expectClearError(await inv("faulty::crash_now"), "crash");
        const again = await inv("faulty::echo_text", { text: "back" });
        expect(again.isError, again.text).toBe(false);
        expect(again.text).toContain("echo: back");
      });
      await fault("hang", async () => {
        const r = await inv("faulty::hang_forever", {}, 1000);
        expectClearError(r, "hang");
        expect(r.structured.code, JSON.stringify(r)).toBe("timeout");
      });
      await fault("slow within the deadline", async () => {
        const r = await inv("slowmock::slow", { ms: 600 }, 20_000);
        expect(r.isError, r.text).toBe(false);
      });
      await fault("slow past the deadline", async () => {
        expectClearError(await inv("slowmock::slow", { ms: 5_000 }, 1000), "slow past deadline");
        expect((await inv("slowmock::add", { a: 1, b: 2 })).text).toContain("3");
      });
      await fault("stdout garbage", async () => {
        const r = await inv("noisy::noisy");
        if (r.isError) expectClearError(r, "noisy");
        const e = await inv("noisy::echo", { x: 1 });
        expect(e.isError, e.text).toBe(false);
        // A downstream that echoes its own secret: the gateway must redact it (the canary scan checks).
        const leak = await inv("noisy::envleak");
        expect(leak.text).toContain("LEAKY_TOKEN=");
      });
      await fault("exit mid-stream", async () => {
        expectClearError(await inv("halfway::half", {}, 10_000), "exit mid-stream");
        const e = await eventually(() => true).then(() => inv("halfway::echo", { after: "restart" }));
        expect(e.isError, e.text).toBe(false);
      });
      await fault("never speaks MCP", async () => {
        expectClearError(await inv("deadbeat::echo", {}, 10_000), "garbage then exit");
      });
      await closeWithoutLeftovers(s);
    },
    T,
  );
});

describe("ptc: downstream servers that misbehave inside a program", () => {
  it(
    "crash, hang, slow answers, garbage and exits mid-stream fail the tool call, not the server",
    async () => {
      const yaml = (n: string, args: string[], env: Record<string, string> = {}) =>
        `  - name: ${n}\n    transport: stdio\n    command: node\n    args: ${JSON.stringify(args)}\n${
          Object.keys(env).length ? `    env: ${JSON.stringify(env)}\n` : ""
        }`;
      const rig = await prepare("ptc", {
        ptcServersYaml: [
          yaml("faulty", [FAULTY]),
          yaml("noisy", [BAD], { BAD_MODE: "noisy", LEAKY_TOKEN: CANARY.downstream }),
          yaml("halfway", [BAD], { BAD_MODE: "exit-mid-stream" }),
          yaml("deadbeat", [BAD], { BAD_MODE: "garbage-then-exit" }),
        ].join(""),
        ptcExecutionYaml: "  timeout_seconds: 20\n  tool_call_timeout_seconds: 2\n",
      });
      rigs.push(rig);
      const s = await stdio(rig, watch);
      const run = (code: string) => call(s.client, "execute_program", { code });
      const attempt = (expr: string) =>
        run(
          `try { const r = await ${expr}; console.log("OK", JSON.stringify(r)) } catch (e) { console.log("ERR", e.name, e.message) }`,
        );
      const fault = async (what: string, body: () => Promise<void>) => {
        counters.add("faultsInjected");
        await body();
        const ok = await attempt("mcp__mock__add({a: 2, b: 2})");
        expect(ok.structured.output, `${what}: the server still runs programs`).toContain("OK");
        counters.add("faultsSurvived");
      };
      await fault("crash", async () => {
        const r = await attempt("mcp__faulty__crash_now({})");
        expect(r.structured.output).toMatch(/^ERR \S+ .{10,}/m);
        // Promised: its tools come back after reconnecting.
        const back = await eventually(() => true).then(async () => {
          for (let i = 0; i < 60; i++) {
            const e = await attempt("mcp__faulty__echo_text({text: 'back'})");
            if (String(e.structured.output).startsWith("OK")) return e;
            await sleep(250);
          }
          return undefined;
        });
        expect(back?.structured.output).toContain("echo: back");
      });
      await fault("hang", async () => {
        const r = await attempt("mcp__faulty__hang_forever({})");
        expect(r.structured.output).toMatch(/^ERR .*timed out/m);
      });
      await fault("slow", async () => {
        const r = await attempt("mcp__mock__slow({ms: 500})");
        expect(r.structured.output).toMatch(/^OK/m);
        const late = await attempt("mcp__mock__slow({ms: 4000})");
        expect(late.structured.output).toMatch(/^ERR .*timed out/m);
      });
      await fault("garbage", async () => {
        const r = await attempt("mcp__noisy__noisy({})");
        expect(r.structured.output).toMatch(/^(OK|ERR \S+ .{10,})/m);
        expect((await attempt("mcp__noisy__echo({})")).structured.output).toMatch(/^OK/m);
        // A downstream that echoes its own secret: ptc must redact it (the canary scan checks).
        expect((await attempt("mcp__noisy__envleak({})")).structured.output).toMatch(/LEAKY_TOKEN=/);
      });
      await fault("exit mid-stream", async () => {
        const r = await attempt("mcp__halfway__half({})");
        expect(r.structured.output).toMatch(/^ERR \S+ .{10,}/m);
      });
      await fault("never speaks MCP", async () => {
        const r = await attempt("mcp__deadbeat__echo({})");
        expect(r.structured.output).toMatch(/^ERR \S+ .{10,}/m);
        const listed = await call(s.client, "list_callable_tools", {});
        expect(listed.isError).toBe(false);
      });
      await closeWithoutLeftovers(s);
    },
    T,
  );
});

const REST_FAULTS: FaultMode[] = ["reset", "5xx", "html", "truncate", "bad-json", "empty"];

describe("ptm: a REST backend that fails", () => {
  it(
    "timeouts, resets, 5xx, HTML, truncated, empty and garbled bodies are clear errors; the next call works",
    async () => {
      const rig = await prepare("ptm");
      rigs.push(rig);
      const proxy = await new FaultProxy(rig.ptm!.url).start();
      proxies.push(proxy);
      rig.env.PTM_API_BASE_URL = proxy.url;
      const s = await stdio(rig, watch);
      const get = () => call(s.client, "get_prompt", { prompt_id: "team.summarizer" });
      expect((await get()).isError).toBe(false);
      for (const mode of [...REST_FAULTS, "hang" as const]) {
        counters.add("faultsInjected");
        proxy.inject(/\/prompts\/team\.summarizer/, mode);
        expectClearError(await get(), `ptm ${mode}`);
        proxy.clear();
        const after = await get();
        expect(after.isError, `ptm after ${mode}: ${after.text}`).toBe(false);
        counters.add("faultsSurvived");
      }
      counters.add("faultsInjected");
      proxy.inject(/\/providers/, "slow");
      expect((await call(s.client, "list_providers", {})).isError).toBe(false);
      proxy.clear();
      counters.add("faultsSurvived");
      await closeWithoutLeftovers(s);
    },
    T,
  );
});

describe("trueppm: a REST backend that fails", () => {
  it(
    `resets, 5xx, HTML, truncated, empty and garbled bodies${LONG ? " and a hang (30 s deadline)" : ""} are clear errors; the next call works`,
    async () => {
      const rig = await prepare("trueppm");
      rigs.push(rig);
      const proxy = await new FaultProxy(rig.trueppm!.origin).start();
      proxies.push(proxy);
      rig.trueppm!.origin = proxy.url;
      rig.env.TRUEPPM_API_URL = proxy.url;
      const s = await stdio(rig, watch);
      // trueppm's request deadline is a fixed 30 s, so the hang runs only with --long, alongside the
      // other faults (ptm's hang, with a configurable deadline, runs in every mode).
      proxy.inject(new RegExp(D.P_BETA), "hang");
      if (LONG) counters.add("faultsInjected");
      const hung = LONG ? call(s.client, "get_project", { project_id: D.P_BETA }, 120_000) : undefined;
      const get = () => call(s.client, "get_project", { project_id: D.P_ALPHA });
      expect((await get()).isError, (await get()).text).toBe(false);
      for (const mode of REST_FAULTS) {
        counters.add("faultsInjected");
        proxy.inject(new RegExp(D.P_ALPHA), mode);
        expectClearError(await get(), `trueppm ${mode}`);
        proxy.clear();
        proxy.inject(new RegExp(D.P_BETA), "hang");
        const after = await get();
        expect(after.isError, `trueppm after ${mode}: ${after.text}`).toBe(false);
        counters.add("faultsSurvived");
      }
      counters.add("faultsInjected");
      proxy.inject(/auth\/me/, "slow");
      expect((await call(s.client, "whoami", {})).isError).toBe(false);
      counters.add("faultsSurvived");
      if (hung) {
        expectClearError(await hung, "trueppm hang");
        counters.add("faultsSurvived");
      }
      proxy.clear();
      expect((await call(s.client, "get_project", { project_id: D.P_BETA })).isError).toBe(false);
      await closeWithoutLeftovers(s);
    },
    T,
  );
});

describe("pty: children that resist", () => {
  it(
    "a child that ignores SIGTERM and one that forks grandchildren are all gone after close and after exit",
    async () => {
      const rig = await prepare("pty");
      rigs.push(rig);
      const s = await stdio(rig, watch);
      const O = { owner: "faults" };
      const spawnIt = async (command: string) => {
        const r = await call(s.client, "pty_spawn", { command, ...O });
        expect(r.isError, r.text).toBe(false);
        return r.text.trim();
      };
      const stubborn = `trap '' TERM HUP INT; echo ready; while :; do sleep 1; done`;
      const forker = `for i in 1 2 3; do (trap '' TERM HUP; sleep 300) & done; nohup sleep 301 >/dev/null 2>&1 & echo forked; wait`;
      // 1. pty_close of each.
      for (const [what, command] of [
        ["ignores SIGTERM", stubborn],
        ["forks grandchildren", forker],
      ] as const) {
        counters.add("faultsInjected");
        const before = new Set(descendants(s.pid!));
        const id = await spawnIt(command);
        await call(s.client, "pty_read_until", {
          session_id: id,
          ...O,
          pattern: "ready|forked",
          regex: true,
          timeout_ms: 10_000,
        });
        const mine = await (async () => {
          for (let i = 0; i < 50; i++) {
            const now = descendants(s.pid!).filter((p) => !before.has(p));
            if (now.length >= (what === "forks grandchildren" ? 5 : 2)) return now;
            await sleep(100);
          }
          return descendants(s.pid!).filter((p) => !before.has(p));
        })();
        expect(mine.length, what).toBeGreaterThan(0);
        const closed = await call(s.client, "pty_close", { session_id: id, ...O });
        expect(closed.isError, closed.text).toBe(false);
        const gone = await eventually(() => stillRunning(mine).length === 0, 15_000);
        counters.add("leaksFound", gone ? 0 : stillRunning(mine).length);
        expect(stillRunning(mine), what).toEqual([]);
        counters.add("faultsSurvived");
      }
      // 2. The same children still running when the server's stdin closes.
      counters.add("faultsInjected");
      await spawnIt(stubborn);
      await spawnIt(forker);
      await sleep(500);
      const status = await call(s.client, "pty_list", O);
      expect(status.isError).toBe(false);
      await closeWithoutLeftovers(s);
      counters.add("faultsSurvived");
    },
    T,
  );
});

describe("secret canaries", () => {
  it("appear 0 times in every stderr line, error and result of this file", () => {
    const { hits, bytes } = watch.scan(counters);
    expect(bytes).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
