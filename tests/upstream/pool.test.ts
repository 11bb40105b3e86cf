import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { UpstreamError, UpstreamPool } from "../../lib/upstream/index.ts";
import { EVERYTHING, FLAKY, firstText, isAlive, SLOW, waitFor } from "./helpers.ts";

/** A built-in server as the gateway would mount it in-process. */
function calculator(): McpServer {
  const server = new McpServer({ name: "calc", version: "1.2.3" });
  server.registerTool(
    "add",
    {
      description: "Adds two numbers",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
      annotations: { readOnlyHint: true },
    },
    async ({ a, b }) => ({
      content: [{ type: "text", text: String(a + b) }],
      structuredContent: { sum: a + b },
    }),
  );
  return server;
}

describe("UpstreamPool", () => {
  const createCalc = vi.fn(calculator);
  const pool = new UpstreamPool(
    [
      { name: "calc", transport: "memory", create: createCalc, lazy: true },
      { name: "everything", transport: "stdio", command: "node", args: [EVERYTHING, "stdio"], env: {} },
      { name: "flaky", transport: "stdio", command: "node", args: [FLAKY], env: {} },
      { name: "ghost", transport: "stdio", command: "mcpkit-no-such-command-xyz", args: [], env: {} },
    ],
    { backoff: () => 50 },
  );
  afterAll(() => pool.closeAll());

  it(
    "startAll returns at once; failures become health state and keep retrying",
    async () => {
      pool.startAll();
      await waitFor(
        () => pool.get("everything")?.state === "connected" && pool.get("flaky")?.state === "connected",
      );
      // Several background attempts, each reported, none thrown.
      let failures = 0;
      const off = pool.get("ghost")!.onStateChange((h) => {
        if (h.state === "reconnecting" && h.lastError) failures++;
      });
      await waitFor(() => failures >= 2);
      off();
      const byName = Object.fromEntries(pool.health().map((h) => [h.name, h]));
      expect(byName.ghost?.state).toBe("reconnecting");
      expect(byName.ghost?.lastError).toContain("not found");
      expect(byName.calc?.state).toBe("idle");
      expect(createCalc).not.toHaveBeenCalled();
    },
    SLOW,
  );

  it(
    "a lazy server starts on first use; concurrent first calls share one start",
    async () => {
      const conns = await Promise.all([1, 2, 3].map(() => pool.ensureConnected("calc")));
      expect(new Set(conns).size).toBe(1);
      expect(createCalc).toHaveBeenCalledTimes(1);
      const result = await pool.callTool("calc", "add", { a: 2, b: 3 });
      expect(result.structuredContent).toEqual({ sum: 5 });
      expect(firstText(result)).toBe("5");
      expect(pool.get("calc")!.health()).toMatchObject({
        state: "connected",
        serverInfo: { name: "calc", version: "1.2.3" },
        protocolVersion: "2025-11-25",
      });
    },
    SLOW,
  );

  it(
    "listAllTools reports tools per connected server",
    async () => {
      const all = await pool.listAllTools();
      const byServer = Object.fromEntries(all.map((s) => [s.server, s.tools.map((t) => t.name)]));
      expect(byServer.calc).toEqual(["add"]);
      expect(byServer.everything).toContain("get-sum");
      expect(byServer.flaky).toHaveLength(7);
      expect(byServer.ghost).toBeUndefined();
    },
    SLOW,
  );

  it(
    "a call to a server that is waiting to reconnect fails fast with its reason",
    async () => {
      const err = await pool.callTool("ghost", "anything").catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.message).toContain("'ghost'");
      expect(err.message).toContain("not connected");
    },
    SLOW,
  );

  it(
    "an unknown server name is an error that lists the known ones",
    async () => {
      const err = await pool.callTool("nope", "x").catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.message).toContain("no upstream server named 'nope'");
      expect(err.message).toContain("everything");
    },
    SLOW,
  );

  it(
    "closeAll leaves no child process alive and stops the retries",
    async () => {
      const pids = ["everything", "flaky"].map((n) => pool.get(n)!.pid!);
      expect(pids.every((p) => typeof p === "number" && isAlive(p))).toBe(true);
      await pool.closeAll();
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
      expect(pool.health().every((h) => h.state === "closed")).toBe(true);
      await pool.closeAll(); // idempotent
      const err = await pool.callTool("calc", "add", { a: 1, b: 1 }).catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
    },
    SLOW,
  );
});
