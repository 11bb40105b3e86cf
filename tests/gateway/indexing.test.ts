import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isAlive, ROOT, waitFor } from "../helpers/mcpkit.ts";
import { call, EVERYTHING, FAULTY, type GatewaySession, openGateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 90_000;
const FIXTURE = resolve(ROOT, "tests/fixtures/gateway/lifecycle-server.mjs");

const lines = (path: string) =>
  existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
const starts = (path: string) => lines(path).filter((l) => l.startsWith("start ")).length;

/** Opens a gateway, runs `fn` with its client, always closes it: a one-shot client. */
async function once<T>(
  transport: "stdio" | "http",
  args: string[],
  env: Record<string, string>,
  cwd: string,
  fn: (gw: GatewaySession) => Promise<T>,
): Promise<T> {
  const gw = await openGateway(transport, args, env, cwd);
  try {
    return await fn(gw);
  } finally {
    await gw.close();
  }
}

const row = (health: { data: Record<string, any> }, name: string) =>
  health.data.servers.find((s: { name: string }) => s.name === name);

for (const transport of ["stdio", "http"] as const) {
  describe(`gateway indexing over ${transport}`, () => {
    it(
      "the very first search of a one-shot client finds a configured server's tool (fresh cache)",
      async () => {
        const s = scratch();
        writeJson(join(s.dir, ".mcp.json"), {
          mcpServers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } },
        });
        const found = await once(transport, [], s.env(), s.dir, (gw) =>
          call(gw.client, "catalog_search", { query: "echo a message back" }),
        );
        expect(found.isError).toBe(false);
        expect(found.data.results[0]?.tool_id).toBe("everything::echo");
        expect(found.data.indexing).toBeUndefined();
        // The cards were written to the description cache with the launch spec they came from.
        const cache = JSON.parse(readFileSync(join(s.cache, "gateway", "descriptions.json"), "utf8"));
        expect(cache.servers.everything.spec_hash).toMatch(/^sha256:/);
        expect(cache.servers.everything.tools.map((t: { name: string }) => t.name)).toContain("echo");
      },
      TIMEOUT,
    );

    it(
      "with no config at all, the first search finds the built-in pty_spawn",
      async () => {
        const s = scratch();
        const found = await once(transport, [], s.env(), s.dir, (gw) =>
          call(gw.client, "catalog_search", { query: "spawn a command in a pseudo terminal" }),
        );
        expect(found.data.results.map((c: { tool_id: string }) => c.tool_id)).toContain("pty::pty_spawn");
        expect(found.data.results[0]?.tool_id).toBe("pty::pty_spawn");
      },
      TIMEOUT,
    );

    it(
      "a warm cache answers the first search without starting anything; a changed launch spec is re-indexed",
      async () => {
        const s = scratch();
        const log = join(s.dir, "fixture.log");
        const cfg = (name: string) =>
          writeJson(join(s.dir, ".mcp.json"), {
            mcpServers: {
              alpha: {
                command: "node",
                args: [FIXTURE],
                env: { FIXTURE_LOG: log, FIXTURE_NAME: name },
              },
            },
          });
        cfg("alpha");
        // Cold: indexed once at start (started, listed, stopped again).
        await once(transport, [], s.env(), s.dir, async (gw) => {
          const r = await call(gw.client, "catalog_search", { query: "echo text back" });
          expect(r.data.results[0]?.tool_id).toBe("alpha::alpha_echo");
          const h = (await waitFor(async () => {
            const x = await call(gw.client, "health");
            return row(x, "alpha").state === "configured" ? x : undefined;
          }))!;
          expect(row(h, "alpha").index.state).toBe("indexed");
          expect(row(h, "alpha").stopped.reason).toBe("indexed");
          expect(row(h, "alpha").tool_count).toBe(1);
        });
        expect(starts(log)).toBe(1);
        // Warm: the same spec is answered from the cache; nothing is spawned.
        await once(transport, [], s.env(), s.dir, async (gw) => {
          const r = await call(gw.client, "catalog_search", { query: "echo text back" });
          expect(r.data.results[0]?.tool_id).toBe("alpha::alpha_echo");
          expect(r.data.results[0]?.availability).toBe("offline");
          const h = await call(gw.client, "health");
          expect(row(h, "alpha").index.state).toBe("cached");
          expect(row(h, "alpha").state).toBe("configured");
          expect(h.data.lifecycle.running_processes).toBe(0);
        });
        expect(starts(log)).toBe(1);
        // A changed launch spec makes the cached cards stale: indexed again.
        cfg("beta");
        await once(transport, [], s.env(), s.dir, async (gw) => {
          const r = await call(gw.client, "catalog_search", { query: "echo text back" });
          expect(r.data.results[0]?.tool_id).toBe("alpha::beta_echo");
        });
        expect(starts(log)).toBe(2);
      },
      TIMEOUT,
    );

    it(
      "resources and prompts of an indexed server are listed while it is stopped; reading one starts it",
      async () => {
        const s = scratch();
        writeJson(join(s.dir, ".mcp.json"), {
          mcpServers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } },
        });
        await once(transport, [], s.env(), s.dir, async (gw) => {
          await call(gw.client, "catalog_search", { query: "echo" });
          const h = (await waitFor(async () => {
            const x = await call(gw.client, "health");
            return row(x, "everything").state === "configured" ? x : undefined;
          }))!;
          expect(row(h, "everything").offers.resources).toBeGreaterThan(0);
          expect(row(h, "everything").offers.prompts).toBeGreaterThan(0);
          const resources = (await gw.client.listResources()).resources;
          const doc = resources.find((r) => r.uri.startsWith("demo://resource/static/document/"));
          expect(doc?._meta?.["mcpkit/server"]).toBe("everything");
          const prompts = (await gw.client.listPrompts()).prompts.map((p) => p.name);
          expect(prompts).toContain("everything__simple-prompt");
          // Listing started nothing; reading does.
          expect(row(await call(gw.client, "health"), "everything").state).toBe("configured");
          const read = await gw.client.readResource({ uri: doc!.uri });
          expect(read.contents.length).toBeGreaterThan(0);
          expect(row(await call(gw.client, "health"), "everything").state).toBe("started");
          const got = await gw.client.getPrompt({ name: "everything__simple-prompt" });
          expect(got.messages.length).toBeGreaterThan(0);
        });
      },
      TIMEOUT,
    );

    it(
      "search waits for a slow server (3 s to start), bounded per call by wait_ms; describe waits too",
      async () => {
        const s = scratch();
        const log = join(s.dir, "slow.log");
        writeJson(join(s.dir, ".mcp.json"), {
          mcpServers: {
            slow: {
              command: "node",
              args: [FIXTURE],
              env: { FIXTURE_LOG: log, FIXTURE_NAME: "slow", FIXTURE_START_DELAY_MS: "3000" },
            },
          },
        });
        await once(transport, [], s.env(), s.dir, async (gw) => {
          // wait_ms 0: answer at once, naming what is still being indexed.
          const quick = await call(gw.client, "catalog_search", { query: "echo", wait_ms: 0 });
          expect(quick.data.results).toEqual([]);
          expect(quick.data.indexing).toEqual(["slow"]);
          expect(quick.text).toContain("Still indexing: slow");
          const partial = await call(gw.client, "describe", { tool_id: "slow::slow_echo", wait_ms: 0 });
          expect(partial.isError).toBe(true);
          expect(partial.data.code).toBe("indexing");
          // A bound that covers a 3 s start even on a loaded machine (the default, 5 s, is checked below);
          // a client that asked for progress hears what is being waited for.
          const progress: Array<{ message?: string }> = [];
          const found = await call(
            gw.client,
            "catalog_search",
            { query: "echo", wait_ms: 20_000 },
            { onprogress: (p) => progress.push(p as { message?: string }) },
          );
          expect(progress.map((p) => p.message)).toContain("waiting for slow to be indexed");
          expect(found.data.results[0]?.tool_id).toBe("slow::slow_echo");
          expect(found.data.indexing).toBeUndefined();
          const described = await call(gw.client, "describe", { tool_id: "slow::slow_echo" });
          expect(described.isError).toBe(false);
          expect((await call(gw.client, "health")).data.lifecycle.search_wait_s).toBe(5);
          expect(described.data.input_schema.properties.text.type).toBe("string");
        });
        // Its launch spec changes: while it is indexed again, the cached card is what is known.
        writeJson(join(s.dir, ".mcp.json"), {
          mcpServers: {
            slow: {
              command: "node",
              args: [FIXTURE],
              env: { FIXTURE_LOG: log, FIXTURE_NAME: "slow", FIXTURE_START_DELAY_MS: "3001" },
            },
          },
        });
        await once(transport, [], s.env(), s.dir, async (gw) => {
          const stale = await call(gw.client, "catalog_search", { query: "echo", wait_ms: 0 });
          expect(stale.data.results[0]?.tool_id).toBe("slow::slow_echo");
          expect(stale.data.indexing).toEqual(["slow"]);
          const partial = await call(gw.client, "describe", { tool_id: "slow::slow_echo", wait_ms: 0 });
          expect(partial.isError).toBe(false);
          expect(partial.data).toMatchObject({ partial: true, indexing: ["slow"] });
          expect(partial.data.description).toBe("Echo the given text back");
          expect(partial.data.input_schema).toBeUndefined();
        });
      },
      TIMEOUT,
    );

    it(
      "a server that crashes while indexing is reported in health with its error and retried with backoff",
      async () => {
        const s = scratch();
        const log = join(s.dir, "crash.log");
        writeJson(join(s.dir, ".mcp.json"), {
          mcpServers: {
            crashy: {
              command: "node",
              args: [FIXTURE],
              env: { FIXTURE_LOG: log, FIXTURE_CRASH: "list" },
            },
            steady: { command: "node", args: [FIXTURE], env: { FIXTURE_NAME: "steady" } },
          },
        });
        await once(transport, [], s.env(), s.dir, async (gw) => {
          const r = await call(gw.client, "catalog_search", { query: "echo" });
          expect(r.data.results.map((c: { tool_id: string }) => c.tool_id)).toEqual(["steady::steady_echo"]);
          expect(r.data.not_indexed?.[0]?.server).toBe("crashy");
          expect(r.data.not_indexed[0].reason).toContain("index failed");
          // The second attempt comes after a backoff, and fails the same way.
          const h = (await waitFor(async () => {
            const x = await call(gw.client, "health");
            const index = row(x, "crashy").index;
            return index.attempts >= 2 && index.state === "failed" ? x : undefined;
          }, 30_000))!;
          expect(row(h, "crashy").index.retry_in_s).toBeGreaterThanOrEqual(0);
          const crashy = row(h, "crashy");
          expect(crashy.index.error).toMatch(/crashy/);
          // How the process ended, quoting its stderr, not just "connection closed".
          expect(crashy.index.error).toContain("crashing on purpose while listing tools");
          expect(crashy.state).toBe("configured");
          expect(h.text).toContain("index error");
          expect(starts(log)).toBeGreaterThanOrEqual(2);
          // The gateway still serves the other server.
          const ok = await call(gw.client, "invoke", {
            tool_id: "steady::steady_echo",
            arguments: { text: "hi" },
          });
          expect(ok.text).toBe("steady_echo: hi");
        });
      },
      TIMEOUT,
    );
  });
}

describe("gateway indexing, transport-independent", () => {
  it(
    "a server that never finishes starting is stopped after index_timeout and reported",
    async () => {
      const s = scratch();
      const log = join(s.dir, "stuck.log");
      writeJson(join(s.dir, ".mcp.json"), {
        mcpServers: {
          stuck: { command: "node", args: [FAULTY], env: { FAULTY_NEVER_READY: "1", FAULTY_LOG: log } },
        },
      });
      const policy = join(s.dir, "policy.yaml");
      writeFileSync(policy, "lifecycle:\n  index_timeout: 1s\n");
      await once("stdio", ["--policy", policy], s.env(), s.dir, async (gw) => {
        const r = await call(gw.client, "catalog_search", { query: "echo" });
        expect(r.data.indexing ?? []).toEqual([]);
        expect(r.data.not_indexed[0].server).toBe("stuck");
        const h = await call(gw.client, "health");
        expect(row(h, "stuck").index.error).toContain("did not start and list its tools within 1 s");
        expect(row(h, "stuck").state).toBe("configured");
        // The process that overran was killed, not left behind.
        const pid = Number(lines(log)[0]!.split(" ")[1]);
        await waitFor(() => !isAlive(pid));
      });
    },
    TIMEOUT,
  );

  it(
    "index_concurrency 0 turns indexing off: configured servers are only started on use",
    async () => {
      const s = scratch();
      const log = join(s.dir, "off.log");
      writeJson(join(s.dir, ".mcp.json"), {
        mcpServers: { lazy: { command: "node", args: [FIXTURE], env: { FIXTURE_LOG: log } } },
      });
      const policy = join(s.dir, "policy.yaml");
      writeFileSync(policy, "lifecycle:\n  index_concurrency: 0\n");
      await once("stdio", ["--policy", policy], s.env(), s.dir, async (gw) => {
        const r = await call(gw.client, "catalog_search", { query: "echo" });
        expect(r.data.results).toEqual([]);
        expect(r.data.not_indexed[0].reason).toContain("index_concurrency: 0");
        expect(starts(log)).toBe(0);
        const used = await call(gw.client, "invoke", {
          tool_id: "lazy::fixture_echo",
          arguments: { text: "x" },
        });
        expect(used.text).toBe("fixture_echo: x");
        const again = await call(gw.client, "catalog_search", { query: "echo" });
        expect(again.data.results[0].tool_id).toBe("lazy::fixture_echo");
      });
    },
    TIMEOUT,
  );
});
