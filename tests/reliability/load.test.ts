// Load: N concurrent HTTP sessions × M cheap calls against each server, and many sequential stdio
// calls: zero failed calls, bounded memory (RSS before/after), and fd and child-process counts back to
// baseline once the sessions close. Sizes come from SIZES (CI-bounded; --long runs the big ones).
import type { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import { connectHttp, type HttpProcess } from "../helpers/mcpkit.ts";
import {
  CANARY,
  CanaryWatch,
  Counters,
  descendants,
  eventually,
  fdCount,
  HANG_MS,
  LONG,
  rssKb,
  SIZES,
  stillRunning,
} from "./harness.ts";
import { http, type Probe, prepare, type Rig, SERVERS, type ServerName, stdio } from "./servers.ts";

const T = LONG ? 1_800_000 : HANG_MS * 8;
const counters = new Counters("load");
const watch = new CanaryWatch();
const rigs: Rig[] = [];
const procs: HttpProcess[] = [];

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop("SIGTERM")));
  for (const r of rigs) await r.close();
  counters.flush();
}, T);

/** Cheap calls per server, cycled through under load. */
function cheapCalls(name: ServerName, probe: Probe): Probe[] {
  switch (name) {
    case "gateway":
      return [probe, { tool: "gateway_list_pending", args: {} }];
    case "ptc":
      return [probe, { tool: "inspect_tool", args: { tool_name: "mcp__mock__add" } }];
    case "pty":
      return [probe, { tool: "get_limits", args: {} }, { tool: "pty_health", args: {} }];
    case "ptm":
      return [probe, { tool: "get_prompt", args: { prompt_id: "team.summarizer" } }];
    case "trueppm":
      return [probe, { tool: "list_projects", args: {} }];
  }
}

async function runCalls(client: Client, calls: Probe[], n: number, offset = 0): Promise<number> {
  let failures = 0;
  for (let i = 0; i < n; i++) {
    const c = calls[(i + offset) % calls.length]!;
    try {
      const r = await client.callTool({ name: c.tool, arguments: c.args }, { timeout: HANG_MS });
      if (r.isError) {
        failures += 1;
        watch.seen(r);
      } else if (i % 97 === 0) watch.seen(r);
    } catch (err) {
      failures += 1;
      watch.seen(err);
    }
  }
  return failures;
}

async function endSession(client: Client): Promise<void> {
  const t = client.transport as StreamableHTTPClientTransport | undefined;
  if (t && "terminateSession" in t) await t.terminateSession().catch(() => {});
  await client.close();
}

for (const name of SERVERS) {
  describe(`${name} under load`, () => {
    it(
      `${SIZES.httpSessions} concurrent HTTP sessions × ${SIZES.callsPerSession} calls: no failure, bounded memory, fds and children back to baseline`,
      async () => {
        const rig = await prepare(name);
        rigs.push(rig);
        const p = await http(rig, watch);
        procs.push(p);
        const pid = p.child.pid!;
        const calls = cheapCalls(name, rig.probe);
        // Warm up (lazy start-up work, connection pools), then take the baseline.
        const warm = await connectHttp(p.url, { token: CANARY.authToken });
        expect(await runCalls(warm, calls, 20)).toBe(0);
        await endSession(warm);
        const base = { fds: fdCount(pid), rss: rssKb(pid), children: descendants(pid).length };
        const clients = await Promise.all(
          Array.from({ length: SIZES.httpSessions }, (_, i) =>
            // One session in ten uses the legacy SSE transport.
            i % 10 === 9
              ? connectHttp(p.url.replace(/\/mcp$/, "/sse"), { token: CANARY.authToken, sse: true })
              : connectHttp(p.url, { token: CANARY.authToken }),
          ),
        );
        const failures = (
          await Promise.all(clients.map((c, i) => runCalls(c, calls, SIZES.callsPerSession, i)))
        ).reduce((a, b) => a + b, 0);
        const peakRss = rssKb(pid);
        await Promise.all(clients.map((c) => endSession(c)));
        counters.add("loadCalls", SIZES.httpSessions * SIZES.callsPerSession);
        counters.add("loadFailures", failures);
        // Idle keep-alive sockets close on the server's timeout; allow for that, then compare.
        const slack = 3;
        await eventually(() => fdCount(pid) <= base.fds + slack, 20_000);
        await eventually(() => descendants(pid).length <= base.children, 10_000);
        const after = { fds: fdCount(pid), rss: rssKb(pid), children: descendants(pid).length };
        const leaks = Math.max(0, after.fds - base.fds - slack) + Math.max(0, after.children - base.children);
        counters.add("leaksFound", leaks);
        counters.note({
          server: name,
          transport: "http",
          calls: SIZES.httpSessions * SIZES.callsPerSession,
          failures,
          rssKbBefore: base.rss,
          rssKbPeak: peakRss,
          rssKbAfter: after.rss,
          fdsBefore: base.fds,
          fdsAfter: after.fds,
          childrenBefore: base.children,
          childrenAfter: after.children,
        });
        expect(failures).toBe(0);
        expect(after.fds, "open fds after the sessions closed").toBeLessThanOrEqual(base.fds + slack);
        expect(after.children).toBeLessThanOrEqual(base.children);
        // Bounded memory: generous, to catch a leak per call, not to time or tune anything.
        if (base.rss > 0) expect(after.rss).toBeLessThan(base.rss * 3 + 256 * 1024);
        // Still serving.
        const last = await connectHttp(p.url, { token: CANARY.authToken });
        expect(await runCalls(last, calls, 3)).toBe(0);
        await endSession(last);
      },
      T,
    );

    const stdioCalls = Math.ceil(SIZES.stdioCalls / SERVERS.length);
    it(
      `${stdioCalls} sequential stdio calls: no failure, bounded memory, nothing left after exit`,
      async () => {
        const rig = await prepare(name);
        rigs.push(rig);
        const s = await stdio(rig, watch);
        const pid = s.pid!;
        const calls = cheapCalls(name, rig.probe);
        expect(await runCalls(s.client, calls, 20)).toBe(0);
        const before = { fds: fdCount(pid), rss: rssKb(pid) };
        const failures = await runCalls(s.client, calls, stdioCalls);
        const after = { fds: fdCount(pid), rss: rssKb(pid) };
        counters.add("stdioCalls", stdioCalls);
        counters.add("stdioFailures", failures);
        counters.note({
          server: name,
          transport: "stdio",
          calls: stdioCalls,
          failures,
          rssKbBefore: before.rss,
          rssKbAfter: after.rss,
          fdsBefore: before.fds,
          fdsAfter: after.fds,
        });
        expect(failures).toBe(0);
        expect(after.fds).toBeLessThanOrEqual(before.fds + 3);
        if (before.rss > 0) expect(after.rss).toBeLessThan(before.rss * 3 + 256 * 1024);
        const kids = descendants(pid);
        await s.close();
        const gone = await eventually(() => stillRunning([pid, ...kids]).length === 0, 15_000);
        counters.add("leaksFound", gone ? 0 : stillRunning([pid, ...kids]).length);
        expect(stillRunning([pid, ...kids])).toEqual([]);
      },
      T,
    );
  });
}

describe("secret canaries", () => {
  it("appear 0 times in every stderr line, error and result of this file", () => {
    const { hits, bytes } = watch.scan(counters);
    expect(bytes).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
