// mcpkit's client side against servers of either protocol era: the spec's `protocol` (2025 by default,
// 2026 pinned, auto with a short probe and a cached verdict), and calls, progress, cancellation,
// list_changed and errors on 2025-era and 2026-07-28 links, over stdio and HTTP.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { PriorDiscovery } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import {
  type EraVerdicts,
  FileEraVerdicts,
  MemoryEraVerdicts,
  type ProtocolSetting,
  UNANSWERED_PROBE_HORIZON_MS,
  UpstreamConnection,
  UpstreamError,
  type UpstreamSpec,
  verdictKey,
} from "../../lib/upstream/index.ts";
import { EVERYTHING, firstText, freePort, MEMORY, ROOT, SLOW, waitFor } from "./helpers.ts";

const V2 = resolve(ROOT, "tests/fixtures/upstream/v2-server.mjs");
const PICKY = resolve(ROOT, "tests/fixtures/upstream/picky-server.mjs");
const dir = mkdtempSync(join(tmpdir(), "mcpkit-eras-"));
const open: UpstreamConnection[] = [];

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

/** A verdict store that remembers what was asked of it. */
class CountingVerdicts implements EraVerdicts {
  readonly inner = new MemoryEraVerdicts();
  sets: PriorDiscovery["kind"][] = [];
  horizons: Array<number | undefined> = [];
  hits = 0;
  get(key: string) {
    const v = this.inner.get(key);
    if (v) this.hits++;
    return v;
  }
  set(key: string, v: PriorDiscovery, horizonMs?: number) {
    this.sets.push(v.kind);
    this.horizons.push(horizonMs);
    this.inner.set(key, v, horizonMs);
  }
  delete(key: string) {
    this.inner.delete(key);
  }
}

function stdio(name: string, script: string, protocol?: ProtocolSetting, args: string[] = [], env = {}) {
  return {
    name,
    transport: "stdio",
    command: "node",
    args: [script, ...args],
    env,
    ...(protocol ? { protocol } : {}),
  } satisfies UpstreamSpec;
}

async function connect(spec: UpstreamSpec, verdicts?: EraVerdicts) {
  const conn = new UpstreamConnection(spec, { backoff: () => 50, ...(verdicts ? { verdicts } : {}) });
  open.push(conn);
  await conn.connect();
  return conn;
}

describe("the verdict file", () => {
  it("keeps 2026 verdicts, and 2025 ones for their horizon (a week, or an hour after an unanswered probe)", () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const file = new FileEraVerdicts(join(dir, "horizon.json"), () => now);
    const discover = { supportedVersions: ["2026-07-28"], capabilities: {} } as never;
    file.set("m", { kind: "modern", discover });
    file.set("old", { kind: "legacy" });
    file.set("silent", { kind: "legacy" }, UNANSWERED_PROBE_HORIZON_MS);
    now += 2 * 60 * 60 * 1000;
    expect(file.get("m")).toEqual({ kind: "modern", discover });
    expect(file.get("old")).toEqual({ kind: "legacy" });
    expect(file.get("silent")).toBeUndefined();
    now += 7 * 24 * 60 * 60 * 1000;
    expect(file.get("old")).toBeUndefined();
    expect(file.get("m")?.kind).toBe("modern");
    file.delete("m");
    expect(file.get("m")).toBeUndefined();
  });
});

describe("the protocol setting picks the era", () => {
  it(
    "2025 (the default) initializes plainly, even with a server that speaks 2026-07-28",
    async () => {
      const conn = await connect(stdio("v2", V2));
      expect(conn.health()).toMatchObject({ protocol: "2025", protocolVersion: "2025-11-25" });
      expect(firstText(await conn.callTool("era"))).toBe("2025-11-25");
      await conn.close();
    },
    SLOW,
  );

  it(
    "2026 speaks 2026-07-28; against a 2025-era server it fails with a message naming the setting",
    async () => {
      const conn = await connect(stdio("v2", V2, "2026", ["--modern-only"]));
      expect(conn.health()).toMatchObject({ protocol: "2026", protocolVersion: "2026-07-28" });
      expect(firstText(await conn.callTool("era"))).toBe("2026-07-28");
      await conn.close();
      const old = new UpstreamConnection(stdio("memory", MEMORY, "2026"), { backoff: () => 50 });
      open.push(old);
      const err = await old.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as Error).message).toContain("does not speak MCP 2026-07-28 (protocol: 2026");
    },
    SLOW,
  );

  it(
    "auto probes once per launch spec: 2026-07-28 where offered, 2025 otherwise; later connects skip the probe",
    async () => {
      const verdicts = new CountingVerdicts();
      const modern = stdio("v2", V2, "auto");
      const first = await connect(modern, verdicts);
      expect(first.health().protocolVersion).toBe("2026-07-28");
      await first.close();
      const second = await connect(modern, verdicts);
      expect(second.health().protocolVersion).toBe("2026-07-28");
      expect(firstText(await second.callTool("echo", { message: "again" }))).toBe("Echo: again");
      await second.close();

      const legacy = stdio("everything", EVERYTHING, "auto", ["stdio"]);
      const third = await connect(legacy, verdicts);
      expect(third.health().protocolVersion).toBe("2025-11-25");
      await third.close();
      const fourth = await connect(legacy, verdicts);
      expect(firstText(await fourth.callTool("echo", { message: "old" }))).toBe("Echo: old");
      await fourth.close();
      // One verdict stored per spec, and each second connect used it instead of probing.
      expect(verdicts.sets).toEqual(["modern", "legacy"]);
      expect(verdicts.horizons).toEqual([undefined, undefined]);
      expect(verdicts.hits).toBe(2);
    },
    SLOW * 2,
  );

  it(
    "auto against a server that exits on the probe: 2025, recorded, and the next start sends no probe",
    async () => {
      const log = join(dir, "exit-probes.log");
      const file = new FileEraVerdicts(join(dir, "exit-verdicts.json"));
      const spec = stdio("picky", PICKY, "auto", ["--on-unknown", "exit"], { PICKY_LOG: log });
      const conn = await connect(spec, file);
      expect(conn.health()).toMatchObject({ state: "connected", protocolVersion: "2025-11-25" });
      expect(firstText(await conn.callTool("echo", { text: "x" }))).toBe("picky: x");
      await conn.close();
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
      expect(file.get(verdictKey(spec))).toEqual({ kind: "legacy" });
      const again = await connect(spec, new FileEraVerdicts(join(dir, "exit-verdicts.json")));
      expect(firstText(await again.callTool("echo", { text: "y" }))).toBe("picky: y");
      await again.close();
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "auto against a server that never answers the probe: 2025 after the short probe timeout, same process",
    async () => {
      const log = join(dir, "silent-probes.log");
      const verdicts = new CountingVerdicts();
      const conn = await connect(
        stdio("picky", PICKY, "auto", ["--on-unknown", "ignore"], { PICKY_LOG: log }),
        verdicts,
      );
      expect(conn.health()).toMatchObject({ state: "connected", protocolVersion: "2025-11-25", restarts: 0 });
      expect(firstText(await conn.callTool("echo", { text: "z" }))).toBe("picky: z");
      // 2025 resting on silence is held for an hour, not a week (it may be a slow-starting 2026 server).
      expect(verdicts.sets).toEqual(["legacy"]);
      expect(verdicts.horizons).toEqual([UNANSWERED_PROBE_HORIZON_MS]);
      expect(existsSync(log)).toBe(true);
      await conn.close();
    },
    SLOW,
  );

  it(
    "a cached 2026 verdict that went stale (the server now speaks 2025 only) is dropped and probed again",
    async () => {
      const verdicts = new CountingVerdicts();
      const spec = stdio("v2", V2, "auto");
      const first = await connect(spec, verdicts);
      await first.close();
      const discover = verdicts.inner.get(verdictKey(spec));
      expect(discover?.kind).toBe("modern");
      // Same verdict, now for a launch spec whose server only speaks 2025.
      const legacy = stdio("everything", EVERYTHING, "auto", ["stdio"]);
      verdicts.inner.set(verdictKey(legacy), discover!);
      const conn = new UpstreamConnection(legacy, { backoff: () => 50, verdicts });
      open.push(conn);
      conn.start();
      await waitFor(async () => conn.health().protocolVersion === "2025-11-25" && conn.state === "connected");
      expect(verdicts.inner.get(verdictKey(legacy))).toEqual({ kind: "legacy" });
      await conn.close();
    },
    SLOW * 2,
  );
});

/** The same behaviours on a link of either era. */
function behaviours(label: string, spec: () => Promise<UpstreamSpec>, expectedVersion: string) {
  describe(label, () => {
    let conn: UpstreamConnection;

    it(
      "connects in the expected era and calls tools; a failing tool is an isError result",
      async () => {
        conn = await connect(await spec());
        expect(conn.health().protocolVersion).toBe(expectedVersion);
        expect(firstText(await conn.callTool("echo", { message: "hi" }))).toBe("Echo: hi");
        const failed = await conn.callTool("fail");
        expect(failed.isError).toBe(true);
        expect(firstText(failed)).toBe("the fixture failed on purpose");
      },
      SLOW,
    );

    it(
      "relays progress and honours cancellation (the server sees it)",
      async () => {
        const progress: number[] = [];
        const done = await conn.callTool(
          "slow",
          { steps: 3, ms: 20 },
          { onProgress: (p) => progress.push(p.progress) },
        );
        expect(firstText(done)).toBe("done after 3 steps");
        // The last notification can share a read with the result, and the SDK drops it then.
        expect(progress[0]).toBe(1);
        expect([
          [1, 2],
          [1, 2, 3],
        ]).toContainEqual(progress);
        const controller = new AbortController();
        const call = conn.callTool(
          "slow",
          { steps: 200, ms: 25 },
          {
            signal: controller.signal,
            onProgress: () => controller.abort(new Error("enough")),
          },
        );
        const err = await call.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(UpstreamError);
        expect((err as UpstreamError).kind).toBe("cancelled");
        await waitFor(async () => firstText(await conn.callTool("cancelled")).includes("slow at"));
      },
      SLOW,
    );

    it(
      "hears the server's tools list_changed and re-lists",
      async () => {
        const seen = new Promise<string[]>((res) =>
          conn.onToolsChanged((tools) => res(tools.map((t) => t.name))),
        );
        await conn.callTool("add_tool", { name: `added_${label.length}` });
        expect(await seen).toContain(`added_${label.length}`);
      },
      SLOW,
    );
  });
}

behaviours("a 2025-era stdio link to the v2 fixture", async () => stdio("v2", V2), "2025-11-25");
behaviours("a 2026-07-28 stdio link to the v2 fixture", async () => stdio("v2", V2, "2026"), "2026-07-28");

let httpFixture: { stop(): void } | undefined;
afterAll(() => httpFixture?.stop());
behaviours(
  "a 2026-07-28 HTTP link to the v2 fixture",
  async () => {
    const { spawn } = await import("node:child_process");
    const port = await freePort();
    const child = spawn("node", [V2, "--http", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
    });
    httpFixture = { stop: () => child.kill("SIGKILL") };
    await waitFor(() => /listening on/.test(err));
    return {
      name: "v2http",
      transport: "http",
      url: `http://127.0.0.1:${port}/mcp`,
      headers: {},
      protocol: "2026",
    };
  },
  "2026-07-28",
);
