// Both protocol eras through the real CLI: dangerous commands confirmed by the user through elicitation
// (2026-07-28 input_required, and the SDK's shim on 2025-era connections), the token flow for clients
// that cannot ask, and progress/cancellation of long waits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ElicitResult, isInputRequiredResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, type HttpProcess, startHttp, waitFor } from "../helpers/mcpkit.ts";
import {
  call,
  connectPtyEra,
  type Era,
  type EraClient,
  type EraClientOptions,
  fails,
  ok,
  startPtyEra,
  tempDir,
  text,
} from "./helpers.ts";

const logDir = tempDir("pty-eras-logs-");
const ENV = { PTY_MCP_SESSION_LOG_DIR: logDir };
const DANGEROUS = "true || reboot"; // flagged (reboot at a command position), never reboots anything
const ACCEPT: ElicitResult = { action: "accept", content: { confirm: true } };

/** The default tier's tools in inventory order (lib/servers/pty/tools/index.ts): the listing order. */
const LISTED = [
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
  "pty_screen",
];

/** What the "person" at every test client answers next. */
let answer: ElicitResult = ACCEPT;
const person = () => answer;

function events(sessionId: string): Record<string, unknown>[] {
  return readFileSync(join(logDir, sessionId, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

let http: HttpProcess;
beforeAll(async () => {
  http = await startHttp(["pty", "--transport", "http", "--port", "0"], {
    env: baseEnv({ PTY_MCP_STATE_DIR: tempDir("pty-eras-http-"), PTY_MCP_LOGIN_SHELL: "0", ...ENV }),
  });
});
afterAll(async () => {
  await http?.stop("SIGTERM");
});

interface Lane {
  name: string;
  era: Era;
  connect(
    opts: EraClientOptions,
    env?: Record<string, string>,
  ): Promise<EraClient & { close(): Promise<void> }>;
}

const overHttp = async (opts: EraClientOptions) => {
  const c = await connectPtyEra(http.url, opts);
  return { ...c, close: () => c.client.close() };
};
const LANES: Lane[] = [
  {
    name: "2025-era client over stdio",
    era: "2025",
    connect: (o, env) => startPtyEra(o, { ...ENV, ...env }),
  },
  {
    name: "2026-07-28 client over stdio",
    era: "2026",
    connect: (o, env) => startPtyEra(o, { ...ENV, ...env }),
  },
  { name: "2026-07-28 client over HTTP", era: "2026", connect: overHttp },
  { name: "2025-era client over HTTP (session)", era: "2025", connect: overHttp },
];

LANES.forEach((lane, i) => {
  describe(`${lane.name} that can ask the user`, () => {
    const O = { owner: `eras-${i}` };
    let c: EraClient & { close(): Promise<void> };
    beforeAll(async () => {
      c = await lane.connect({ era: lane.era, answer: person });
      expect(c.client.getProtocolEra()).toBe(lane.era === "2026" ? "modern" : "legacy");
    });
    afterAll(async () => {
      await c?.close();
    });
    const count = async () => (await ok(c.client, "pty_list", O)).count as number;

    it("lists the same tools, in inventory order, with the same schemas", async () => {
      const { tools } = await c.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(LISTED);
      const spawn = tools[0]!;
      expect(spawn.annotations).toEqual({
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      });
      expect(spawn.inputSchema.additionalProperties).toBe(false);
      expect(spawn.outputSchema?.required).toEqual([
        "session_id",
        "pid",
        "running",
        "exit_code",
        "signal",
        "exit_reason",
      ]);
      expect(await fails(c.client, "pty_signal", {})).toBe("tool disabled by policy: pty_signal");
    });

    it("asks the user about a dangerous spawn and runs it once they accept", async () => {
      answer = ACCEPT;
      const r = await ok(c.client, "pty_spawn", {
        command: DANGEROUS,
        ...O,
        dangerous_justification: "lane test",
        wait_ms: 2000,
      });
      expect(r).toMatchObject({ running: false, exit_code: 0 });
      expect(c.asked).toHaveLength(1);
      const q = c.asked[0]!;
      expect(q).toContain("pty_spawn wants to run a dangerous command");
      expect(q).toContain(DANGEROUS);
      expect(q).toContain("Matched: power (shutting down or rebooting the machine)");
      expect(q).toContain("Justification: lane test");
      expect(q).toContain(`Owner: ${O.owner}, scope: read-write`);
      expect(events(r.session_id).find((e) => e.event === "spawn")).toMatchObject({
        dangerous: true,
        confirmation_mode: "elicitation",
      });
    });

    it("runs nothing when the user declines, dismisses or leaves the box unticked", async () => {
      const before = await count();
      const cases: [ElicitResult, string][] = [
        [{ action: "decline" }, "dangerous command declined by the user; it was not run"],
        [{ action: "cancel" }, "dangerous command dismissed by the user; it was not run"],
        [{ action: "accept", content: { confirm: false } }, "dangerous command not confirmed"],
      ];
      for (const [reply, message] of cases) {
        answer = reply;
        const asked = c.asked.length;
        expect(await fails(c.client, "pty_spawn", { command: DANGEROUS, ...O })).toContain(message);
        expect(c.asked.length).toBe(asked + 1);
      }
      expect(await count()).toBe(before);
    });

    it("asks about a dangerous line typed into a session; writes it only on accept", async () => {
      answer = ACCEPT;
      const id = text(await call(c.client, "pty_spawn", { command: "cat", ...O }));
      answer = { action: "decline" };
      expect(await fails(c.client, "pty_write", { session_id: id, ...O, data: `${DANGEROUS}\r` })).toContain(
        "declined by the user",
      );
      expect(c.asked.at(-1)).toContain(
        `pty_write wants to type a dangerous command into terminal session ${id}`,
      );
      expect((await ok(c.client, "pty_status", { session_id: id, ...O })).bytes_written).toBe(0);
      answer = ACCEPT;
      await ok(c.client, "pty_write", { session_id: id, ...O, data: `${DANGEROUS}\r` });
      const r = await ok(c.client, "pty_read_until", {
        session_id: id,
        ...O,
        pattern: "reboot",
        timeout_ms: 5000,
      });
      expect(r.matched).toBe(true);
      expect(events(id).find((e) => e.event === "dangerous_input")).toMatchObject({
        confirmation_mode: "elicitation",
        dangerous_matches: [expect.any(String)],
      });
      expect(JSON.stringify(events(id))).not.toContain("true ||");
      await ok(c.client, "pty_close", { session_id: id, ...O });
    });

    it("never asks past owner, scope or lease refusals", async () => {
      answer = ACCEPT;
      const asked = c.asked.length;
      const line = { data: `${DANGEROUS}\r` };
      const ro = text(await call(c.client, "pty_spawn", { command: "cat", ...O, scope: "read-only" }));
      expect(await fails(c.client, "pty_write", { session_id: ro, ...O, ...line })).toBe(
        "scope 'read-only' does not allow tool 'pty_write'",
      );
      expect(await fails(c.client, "pty_write", { session_id: ro, owner: "mallory", ...line })).toMatch(
        /owner mismatch/,
      );
      const leased = text(await call(c.client, "pty_spawn", { command: "cat", ...O }));
      await ok(c.client, "pty_attach", { session_id: leased, ...O, client_id: "a" });
      expect(
        await fails(c.client, "pty_prompt", {
          session_id: leased,
          ...O,
          client_id: "b",
          ...line,
          patterns: ["x"],
        }),
      ).toMatch(/another client/);
      expect(await fails(c.client, "pty_spawn", { command: DANGEROUS })).toMatch(
        /owner is required for spawn/,
      );
      expect(c.asked.length).toBe(asked);
      await ok(c.client, "pty_close", { session_id: leased, ...O, client_id: "a" });
    });

    it("honours cancellation: a cancelled read leaves the output it waited over unread", async () => {
      const cat = text(await call(c.client, "pty_spawn", { command: "cat", ...O }));
      await ok(c.client, "pty_write", { session_id: cat, ...O, data: "before\r" });
      await waitFor(async () =>
        (await ok(c.client, "pty_read_at", { session_id: cat, ...O })).text.includes("before\r\nbefore"),
      );
      const ac = new AbortController();
      const pending = c.client.callTool(
        { name: "pty_read_until", arguments: { session_id: cat, ...O, pattern: "never", timeout_ms: 60000 } },
        { signal: ac.signal },
      );
      setTimeout(() => ac.abort("test"), 200);
      await expect(pending).rejects.toThrow();
      const after = await ok(c.client, "pty_read", { session_id: cat, ...O, timeout_ms: 2000 });
      expect(after.text).toContain("before");
      expect(after.running).toBe(true);
      await ok(c.client, "pty_close", { session_id: cat, ...O });
    });
  });
});

describe("every long wait reports progress", () => {
  for (const lane of LANES) {
    it(lane.name, async () => {
      const c = await lane.connect({ era: lane.era });
      const O = { owner: "progress" };
      const spawn = async (command: string) => text(await call(c.client, "pty_spawn", { command, ...O }));
      /** Calls a tool with a progress token; resolves with the structured result and the progress count. */
      const watched = async (name: string, args: Record<string, unknown>) => {
        let seen = 0;
        const r = await c.client.callTool(
          { name, arguments: { ...O, ...args } },
          { onprogress: () => seen++, timeout: 20000 },
        );
        if (r.isError) throw new Error(`${name}: ${JSON.stringify(r.content)}`);
        return { name, seen, result: r.structuredContent as Record<string, unknown> };
      };
      try {
        const [until, typed, prompted, any, quiet, read, waited] = await Promise.all([
          spawn("sleep 2.5; echo U"),
          spawn("read x; sleep 2.5; echo got"),
          spawn("read x; sleep 2.5; echo ready"),
          spawn("sleep 2.5; echo A"),
          spawn("sleep 2.5; echo Q"),
          spawn("sleep 2.5; echo R"),
          spawn("sleep 2.5"),
        ]);
        const calls = await Promise.all([
          watched("pty_spawn", { command: "sleep 2.5; echo spawned", wait_ms: 10000 }),
          watched("pty_read_until", { session_id: until, pattern: "U", timeout_ms: 10000 }),
          watched("pty_write", { session_id: typed, data: "y\r", wait_ms: 10000 }),
          watched("pty_prompt", {
            session_id: prompted,
            data: "y\r",
            patterns: ["ready"],
            timeout_ms: 10000,
          }),
          watched("pty_read_until_any", { session_id: any, patterns: ["B", "A"], timeout_ms: 10000 }),
          watched("pty_read_quiescent", { session_id: quiet, timeout_ms: 10000 }),
          watched("pty_read", { session_id: read, timeout_ms: 10000 }),
          watched("pty_wait", { session_id: waited, timeout_ms: 10000 }),
        ]);
        expect(calls.filter((k) => k.seen === 0).map((k) => k.name)).toEqual([]);
        const [spawned, untilR, typedR, promptR, anyR, quietR, readR, waitR] = calls.map((k) => k.result);
        expect(spawned!.output).toContain("spawned");
        expect(untilR!.matched).toBe(true);
        expect(typedR!.output).toContain("got");
        expect(promptR!.matched).toBe(true);
        expect(anyR!.matched).toBe(true);
        expect(quietR!.text).toContain("Q");
        expect(readR!.text).toContain("R");
        expect(waitR).toMatchObject({ running: false, exit_code: 0 });
      } finally {
        await c.close();
      }
    });
  }
});

describe("clients that cannot ask the user keep the token flow", () => {
  for (const lane of LANES.filter((l) => l.era === "2026")) {
    it(lane.name, async () => {
      const c = await lane.connect({ era: lane.era });
      const O = { owner: "tokens" };
      try {
        expect(await fails(c.client, "pty_spawn", { command: DANGEROUS, ...O })).toBe(
          "dangerous command detected; confirmation token required (call confirm_dangerous_command, then pass dangerous_confirm_token)",
        );
        const t = await ok(c.client, "confirm_dangerous_command", {
          command: DANGEROUS,
          justification: "x",
          ...O,
        });
        const r = await ok(c.client, "pty_spawn", {
          command: DANGEROUS,
          ...O,
          dangerous_confirm_token: t.confirm_token,
        });
        expect(events(r.session_id).find((e) => e.event === "spawn")).toMatchObject({
          confirmation_mode: "token",
        });
        const id = text(await call(c.client, "pty_spawn", { command: "cat", ...O }));
        expect(await fails(c.client, "pty_write", { session_id: id, ...O, data: `${DANGEROUS}\r` })).toMatch(
          /^dangerous command detected in input; confirmation token required/,
        );
        const t2 = await ok(c.client, "confirm_dangerous_command", {
          command: DANGEROUS,
          justification: "x",
          ...O,
        });
        await ok(c.client, "pty_write", {
          session_id: id,
          ...O,
          data: `${DANGEROUS}\r`,
          dangerous_confirm_token: t2.confirm_token,
        });
        expect(events(id).find((e) => e.event === "dangerous_input")).toMatchObject({
          confirmation_mode: "token",
        });
        for (const s of [r.session_id, id]) await ok(c.client, "pty_close", { session_id: s, ...O });
      } finally {
        await c.close();
      }
    });
  }

  it("legacy confirmation mode is unchanged for a client that could ask", async () => {
    const c = await startPtyEra(
      { era: "2025", answer: () => ACCEPT },
      { PTY_MCP_DANGEROUS_LEGACY_MODE: "1", PTY_MCP_REQUIRE_OWNER: "0" },
    );
    try {
      expect(await fails(c.client, "pty_spawn", { command: DANGEROUS })).toBe(
        "dangerous command detected; use confirm_dangerous_command",
      );
      await ok(c.client, "pty_spawn", { command: DANGEROUS, dangerous_justification: "legacy" });
      expect(c.asked).toEqual([]);
    } finally {
      await c.close();
    }
  });
});

describe("an answer counts only for the question this server asked, once (2026-07-28 rounds by hand)", () => {
  it("re-asks without the server's state, refuses a replay and a swapped command", async () => {
    const c = await connectPtyEra(http.url, { era: "2026", answer: person, manual: true });
    const O = { owner: "rounds" };
    const spawn = (command: string, extra: Record<string, unknown> = {}) =>
      c.client.request(
        { method: "tools/call", params: { name: "pty_spawn", arguments: { command, ...O }, ...extra } },
        { allowInputRequired: true },
      );
    const accepted = { confirm_dangerous_command: { action: "accept", content: { confirm: true } } };
    try {
      const first = await spawn(DANGEROUS);
      if (!isInputRequiredResult(first)) throw new Error("expected input_required");
      const state = first.requestState!;
      expect(state).toMatch(/^hc_[0-9a-f]{32}$/);
      const q = first.inputRequests?.confirm_dangerous_command as {
        method: string;
        params: { message: string };
      };
      expect(q.method).toBe("elicitation/create");
      expect(q.params.message).toContain(DANGEROUS);
      // An acceptance the server never asked for is not consent: it asks again.
      expect(isInputRequiredResult(await spawn(DANGEROUS, { inputResponses: accepted }))).toBe(true);
      // The state of one question does not confirm another command.
      const swapped = (await spawn("true || poweroff", {
        inputResponses: accepted,
        requestState: state,
      })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(swapped.isError).toBe(true);
      expect(swapped.content[0]!.text).toContain("expired or does not match");
      const done = (await spawn(DANGEROUS, { inputResponses: accepted, requestState: state })) as {
        isError?: boolean;
        structuredContent: { session_id: string };
      };
      expect(done.isError).toBeFalsy();
      expect(events(done.structuredContent.session_id)[0]).toMatchObject({
        confirmation_mode: "elicitation",
      });
      const replay = (await spawn(DANGEROUS, { inputResponses: accepted, requestState: state })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(replay.isError).toBe(true);
      expect(replay.content[0]!.text).toContain("expired or does not match");
    } finally {
      await c.client.close();
    }
  });
});
