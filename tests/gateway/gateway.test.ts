import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "gpt-tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/mcpkit.ts";
import {
  call,
  EVERYTHING,
  FAULTY,
  type GatewaySession,
  MEMORY,
  openGateway,
  scratch,
  writeJson,
} from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 60_000;

const VERBS = [
  "catalog_search",
  "describe",
  "invoke",
  "refresh",
  "health",
  "request_capability",
  "sync_environment",
  "provision",
  "provision_status",
  "list_pending",
  "cancel",
  "auth_connect",
  "update_server",
  "submit_feedback",
  "search_registry",
  "register_discovered_server",
];

// Every behaviour is checked through the real gateway over both stdio and Streamable HTTP.
for (const transport of ["stdio", "http"] as const) {
  describe(`gateway over ${transport}`, () => {
    const s = scratch();
    const faultyLog = join(s.dir, "faulty.log");
    const sharedLog = join(s.dir, "shared.log");
    const cfgPath = join(s.dir, "servers.mcp.json");
    const config = {
      autoStart: ["everything"],
      mcpServers: {
        everything: { command: "node", args: [EVERYTHING, "stdio"] },
        memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(s.dir, "memory.jsonl") } },
        faulty: { command: "node", args: [FAULTY], env: { FAULTY_LOG: faultyLog } },
        shared: { command: "node", args: [FAULTY], env: { FAULTY_LOG: sharedLog } },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a config placeholder, expanded by the gateway
        keyed: { command: "node", args: [FAULTY], env: { API_TOKEN: "${FAKE_SERVICE_TOKEN}" } },
      },
    };
    const policyPath = join(s.dir, "policy.yaml");
    const logLines = (path: string) =>
      existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];

    let gw: GatewaySession;

    /** Waits until the background indexer has listed `server` and stopped it again. */
    const stoppedAfterIndexing = (server: string) =>
      waitFor(async () => {
        const h = await call(gw.client, "health");
        const r = h.data.servers.find((x: any) => x.name === server);
        return r?.index?.state === "indexed" && r.state === "configured";
      }, 30_000);

    beforeAll(async () => {
      writeJson(cfgPath, config);
      writeFileSync(
        policyPath,
        [
          "tools:",
          "  denylist:",
          '    - "faulty::delete_*"',
          "limits:",
          "  max_output_bytes: 2000",
          "redaction:",
          "  patterns:",
          `    - "(api[_-]?key)\\\\s*[:=]\\\\s*([^\\\\s]+)"`,
        ].join("\n"),
      );
      gw = await openGateway(transport, ["--config", cfgPath, "--policy", policyPath], s.env(), s.dir);
    }, TIMEOUT);

    afterAll(async () => {
      await gw?.close();
    }, TIMEOUT);

    describe("meta-tools", () => {
      it(
        "lists sixteen meta-tools within 1,200 tokens, each with a title and all four hints",
        async () => {
          const listed = await gw.client.listTools();
          expect(listed.tools.map((t) => t.name).sort()).toEqual(VERBS.map((v) => `gateway_${v}`).sort());
          for (const t of listed.tools) {
            expect(t.title).toBeTruthy();
            expect(t.description).toBeTruthy();
            for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]) {
              expect(typeof (t.annotations as Record<string, unknown>)[hint]).toBe("boolean");
            }
          }
          const tokens = encode(JSON.stringify(listed)).length;
          console.log(
            `[gateway] tools/list: ${listed.tools.length} meta-tools, ${tokens} tokens (gpt-tokenizer)`,
          );
          expect(tokens).toBeLessThanOrEqual(1200);
          expect(gw.client.getInstructions()).toContain("gateway_catalog_search");
        },
        TIMEOUT,
      );

      it(
        "starts eager servers in the background and reports states and missing keys",
        async () => {
          const h = (await waitFor(async () => {
            const r = await call(gw.client, "health");
            const row = r.data.servers.find((x: any) => x.name === "everything");
            return row?.state === "started" && row.tool_count > 0 ? r : undefined;
          }, 20_000))!;
          const rows = Object.fromEntries(h.data.servers.map((x: any) => [x.name, x]));
          // Lazy servers are not autoStart: only indexed in the background (never kept running for it).
          expect(rows.faulty.auto_start).toBeUndefined();
          expect(["queued", "indexing", "indexed"]).toContain(rows.faulty.index.state);
          expect(rows.keyed.index).toMatchObject({ state: "skipped", reason: "needs FAKE_SERVICE_TOKEN" });
          expect(rows.keyed.missing_env_vars).toEqual(["FAKE_SERVICE_TOKEN"]);
          expect(h.data.manifest_known).toBeGreaterThan(30);
        },
        TIMEOUT,
      );

      it(
        "ranks search results by relevance with exact-name boost and filters",
        async () => {
          // A generous wait: this machine is shared, and five servers are being indexed.
          const r = await call(gw.client, "catalog_search", { query: "echo", wait_ms: 30_000 });
          expect(r.data.results[0].tool_id).toBe("everything::echo");
          // Servers never used are searchable too: indexed in the background after the handshake.
          const ids = r.data.results.map((c: any) => c.tool_id);
          expect(ids).toContain("faulty::echo_text");
          expect(r.data.not_started).toBeUndefined();
          expect(r.data.not_indexed).toEqual([{ server: "keyed", reason: "needs FAKE_SERVICE_TOKEN" }]);
          const card = r.data.results[0];
          expect(Object.keys(card)).toEqual(
            expect.arrayContaining(["tool_id", "short_description", "tags", "risk_hint", "availability"]),
          );
          expect(card).not.toHaveProperty("input_schema");
          // (memory's add_* tools are indexed too, so "add" alone would be ambiguous)
          const sum = await call(gw.client, "catalog_search", { query: "sum of two numbers" });
          expect(sum.data.results[0].tool_id).toBe("everything::get-sum");
          const low = await call(gw.client, "catalog_search", {
            filters: { server: "everything", risk_max: "low" },
            limit: 2,
          });
          expect(low.data.results).toHaveLength(2);
          expect(low.data.truncated).toBe(true);
          for (const c of low.data.results) expect(c.risk_hint).toBe("low");
        },
        TIMEOUT,
      );

      it(
        "describe starts a lazy server and returns the full schema with an invoke template",
        async () => {
          // Indexed at start-up (started, listed, stopped again): describe starts it once more.
          await stoppedAfterIndexing("faulty");
          const before = logLines(faultyLog).filter((l) => l.startsWith("start")).length;
          expect(before).toBe(1);
          const r = await call(gw.client, "describe", { tool_id: "faulty::strict_args" });
          expect(r.isError).toBe(false);
          expect(r.data.input_schema.properties.count.type).toBe("integer");
          expect(r.data.invoke_template.arguments).toEqual({
            count: "<required: integer>",
            mode: "<required: string>",
          });
          expect(logLines(faultyLog).filter((l) => l.startsWith("start"))).toHaveLength(before + 1);
          const missing = await call(gw.client, "describe", { tool_id: "faulty::no_such_tool" });
          expect(missing.isError).toBe(true);
          expect(missing.text).toContain("no tool 'no_such_tool'");
        },
        TIMEOUT,
      );

      it(
        "concurrent first calls to a lazy server share one start",
        async () => {
          await stoppedAfterIndexing("shared");
          const before = logLines(sharedLog).filter((l) => l.startsWith("start")).length;
          const results = await Promise.all([
            call(gw.client, "describe", { tool_id: "shared::echo_text" }),
            call(gw.client, "invoke", { tool_id: "shared::echo_text", arguments: { text: "a" } }),
            call(gw.client, "invoke", { tool_id: "shared::echo_text", arguments: { text: "b" } }),
          ]);
          for (const r of results) expect(r.isError).toBe(false);
          expect(logLines(sharedLog).filter((l) => l.startsWith("start"))).toHaveLength(before + 1);
        },
        TIMEOUT,
      );

      it(
        "invokes a tool and marks the server invoked",
        async () => {
          const r = await call(gw.client, "invoke", {
            tool_id: "faulty::echo_text",
            arguments: { text: "hi" },
          });
          expect(r.isError).toBe(false);
          expect(r.text).toBe("echo: hi");
          expect(r.data).toMatchObject({ tool_id: "faulty::echo_text", ok: true, truncated: false });
          const h = await call(gw.client, "health");
          expect(h.data.servers.find((x: any) => x.name === "faulty").state).toBe("invoked");
        },
        TIMEOUT,
      );

      it(
        "rejects invalid arguments before the downstream is called",
        async () => {
          const bad = await call(gw.client, "invoke", {
            tool_id: "faulty::strict_args",
            arguments: { count: 0, mode: "warp" },
          });
          expect(bad.isError).toBe(true);
          expect(bad.data.code).toBe("invalid_arguments");
          expect(bad.text).toContain("$.count: must be >= 1");
          expect(bad.text).toContain("$.mode: must be one of");
          const missing = await call(gw.client, "invoke", {
            tool_id: "faulty::strict_args",
            arguments: { count: 2 },
          });
          expect(missing.text).toContain('missing required property "mode"');
          expect(logLines(faultyLog).some((l) => l.startsWith("strict_args"))).toBe(false);
          const good = await call(gw.client, "invoke", {
            tool_id: "faulty::strict_args",
            arguments: { count: 2, mode: "fast" },
          });
          expect(good.text).toBe("ok 2 fast");
          expect(logLines(faultyLog)).toContain("strict_args 2 fast");
        },
        TIMEOUT,
      );

      it(
        "applies the policy to search, describe and invoke",
        async () => {
          const search = await call(gw.client, "catalog_search", {
            query: "delete",
            filters: { server: "faulty" },
          });
          expect(search.data.results.map((c: any) => c.tool_id)).not.toContain("faulty::delete_everything");
          for (const verb of ["describe", "invoke"]) {
            const r = await call(gw.client, verb, { tool_id: "faulty::delete_everything" });
            expect(r.isError).toBe(true);
            expect(r.data.code).toBe("policy_denied");
          }
        },
        TIMEOUT,
      );

      it(
        "caps flooding output and redacts secrets (built-in and policy patterns)",
        async () => {
          const flood = await call(gw.client, "invoke", {
            tool_id: "faulty::flood_output",
            arguments: { bytes: 200_000 },
          });
          expect(flood.data.truncated).toBe(true);
          expect(flood.data.raw_bytes).toBeGreaterThan(200_000);
          expect(flood.text.length).toBeLessThan(2_300);
          expect(flood.text).toContain("output truncated");
          expect(flood.text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz012345");
          const leak = await call(gw.client, "invoke", { tool_id: "faulty::leak_secret" });
          expect(leak.text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz012345");
          expect(leak.text).not.toContain("hunter2hunter2");
          expect(leak.text).toContain("api_key=[REDACTED]");
          expect(leak.text).toContain("plain words");
        },
        TIMEOUT,
      );

      it(
        "survives a downstream crash mid-invoke: error result, then the next call works",
        async () => {
          const crash = await call(gw.client, "invoke", { tool_id: "faulty::crash_now" });
          expect(crash.isError).toBe(true);
          expect(crash.text).toMatch(/faulty/);
          const next = await call(gw.client, "invoke", {
            tool_id: "faulty::echo_text",
            arguments: { text: "again" },
          });
          expect(next.isError).toBe(false);
          expect(next.text).toBe("echo: again");
          expect(logLines(faultyLog).filter((l) => l.startsWith("start")).length).toBeGreaterThanOrEqual(2);
        },
        TIMEOUT,
      );

      it(
        "a downstream answering with invalid JSON-RPC gets an error result, and the gateway keeps serving",
        async () => {
          const bad = await call(gw.client, "invoke", { tool_id: "faulty::bad_jsonrpc" });
          expect(bad.isError).toBe(true);
          expect(bad.text).toMatch(/faulty/);
          // A misbehaving server is worth a report: PMCP's feedback hint (telemetry is on by default).
          expect(bad.data.code).toBe("protocol");
          expect(bad.data.feedback_hint).toMatch(/gateway_submit_feedback/);
          const next = await call(gw.client, "invoke", {
            tool_id: "faulty::echo_text",
            arguments: { text: "still here" },
          });
          expect(next.isError).toBe(false);
          expect(next.text).toBe("echo: still here");
        },
        TIMEOUT,
      );

      it(
        "times out a hanging call and the cancellation reaches the downstream",
        async () => {
          const before = logLines(faultyLog).filter((l) => l === "cancelled").length;
          const r = await call(gw.client, "invoke", {
            tool_id: "faulty::hang_forever",
            options: { timeout_ms: 1000 },
          });
          expect(r.isError).toBe(true);
          expect(r.data.code).toBe("timeout");
          expect(r.text).toContain("1000 ms");
          await waitFor(() => logLines(faultyLog).filter((l) => l === "cancelled").length > before);
          expect((await call(gw.client, "list_pending")).data.total_pending).toBe(0);
        },
        TIMEOUT,
      );

      it(
        "lists in-flight calls and cancels one (refusing a healthy call without force)",
        async () => {
          const before = logLines(faultyLog).filter((l) => l === "cancelled").length;
          const hangs = logLines(faultyLog).filter((l) => l === "hang").length;
          const inflight = call(gw.client, "invoke", {
            tool_id: "faulty::hang_forever",
            options: { timeout_ms: 60_000 },
          });
          // Cancel only once the request has reached the server; before that there is nothing to notify.
          await waitFor(() => logLines(faultyLog).filter((l) => l === "hang").length > hangs);
          const pending = (await waitFor(async () => {
            const r = await call(gw.client, "list_pending");
            return r.data.total_pending === 1 ? r : undefined;
          }))!;
          const id = pending.data.requests[0].request_id;
          expect(id).toMatch(/^faulty::\d+$/);
          expect(pending.data.requests[0].state).toBe("pending");
          const refused = await call(gw.client, "cancel", { request_id: id });
          expect(refused.data.status).toBe("refused");
          const done = await call(gw.client, "cancel", { request_id: id, force: true });
          expect(done.data.status).toBe("cancelled");
          const result = await inflight;
          expect(result.isError).toBe(true);
          expect(result.data.code).toBe("cancelled");
          await waitFor(() => logLines(faultyLog).filter((l) => l === "cancelled").length > before);
          expect((await call(gw.client, "cancel", { request_id: id })).data.status).toBe("not_found");
        },
        TIMEOUT,
      );

      it(
        "names the missing variable when a server needs a key",
        async () => {
          const r = await call(gw.client, "invoke", {
            tool_id: "keyed::echo_text",
            arguments: { text: "x" },
          });
          expect(r.isError).toBe(true);
          expect(r.data.code).toBe("missing_env");
          expect(r.text).toContain("FAKE_SERVICE_TOKEN");
          expect(r.text).toContain("auth_connect");
        },
        TIMEOUT,
      );

      it(
        "forwards progress of long calls and works with a real third-party server",
        async () => {
          const progress: unknown[] = [];
          const r = await call(
            gw.client,
            "invoke",
            { tool_id: "everything::trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
            { onprogress: (p) => progress.push(p) },
          );
          expect(r.isError).toBe(false);
          expect(r.text).toContain("Long running operation completed");
          expect(progress.length).toBeGreaterThanOrEqual(1);
          const created = await call(gw.client, "invoke", {
            tool_id: "memory::create_entities",
            arguments: { entities: [{ name: "gateway", entityType: "service", observations: ["works"] }] },
          });
          expect(created.isError).toBe(false);
          const graph = await call(gw.client, "invoke", { tool_id: "memory::read_graph" });
          expect(graph.text).toContain("gateway");
        },
        TIMEOUT,
      );

      it(
        "refresh is diff-based: removed and added servers change, others keep running",
        async () => {
          const pidBefore = (await call(gw.client, "health")).data.servers.find(
            (x: any) => x.name === "everything",
          );
          const next = structuredClone(config) as any;
          delete next.mcpServers.memory;
          next.mcpServers.echo2 = { command: "node", args: [FAULTY] };
          writeJson(cfgPath, next);
          const r = await call(gw.client, "refresh", { reason: "test" });
          expect(r.isError).toBe(false);
          expect(r.data.removed).toEqual(["memory"]);
          expect(r.data.added).toEqual(["echo2"]);
          expect(r.data.changed).toEqual([]);
          const h = await call(gw.client, "health");
          const names = h.data.servers.map((x: any) => x.name);
          expect(names).toContain("echo2");
          expect(names).not.toContain("memory");
          expect(h.data.servers.find((x: any) => x.name === "everything").state).toBe(pidBefore.state);
        },
        TIMEOUT,
      );
    });

    describe("offline discovery", () => {
      it(
        "a later gateway searches cached cards without starting anything; include_offline adds servers no longer configured",
        async () => {
          await gw.close();
          const starts = () => logLines(faultyLog).filter((l) => l.startsWith("start")).length;
          const before = starts();
          // Same launch spec as before: its cached cards are current, so it is not indexed again.
          const cfg2 = writeJson(join(s.dir, "offline.mcp.json"), {
            mcpServers: { faulty: config.mcpServers.faulty },
          });
          const g2 = await openGateway(transport, ["--config", cfg2], s.env(), s.dir);
          try {
            const found = await call(g2.client, "catalog_search", { query: "echo text" });
            const card = found.data.results.find((c: any) => c.tool_id === "faulty::echo_text");
            expect(card?.availability).toBe("offline");
            expect(found.data.results.map((c: any) => c.server)).not.toContain("shared");
            const h = await call(g2.client, "health");
            expect(h.data.servers[0]).toMatchObject({ name: "faulty", state: "configured" });
            expect(h.data.servers[0].index.state).toBe("cached");
            // Cards of servers that are not configured here come only with include_offline.
            const offline = await call(g2.client, "catalog_search", {
              query: "echo text",
              include_offline: true,
            });
            const other = offline.data.results.find((c: any) => c.tool_id === "shared::echo_text");
            expect(other?.availability).toBe("offline");
            expect(offline.text).toContain("shared::echo_text [low, not configured]");
            expect(starts()).toBe(before);
            const cands = await call(g2.client, "catalog_search", {
              query: "browser screenshot",
              include_offline: true,
            });
            expect(cands.data.manifest_candidates.map((c: any) => c.name)).toContain("playwright");
          } finally {
            await g2.close();
          }
        },
        TIMEOUT,
      );
    });
  });
}
