import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as D from "../fixtures/trueppm/data.ts";
import type { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { connectStdio, type StdioSession, waitFor } from "../helpers/mcpkit.ts";
import { makeToken, startFake, textOf, trueppmEnv } from "./helpers.ts";

const TOKEN = makeToken("stdio");
const THROTTLED = makeToken("throttled");
const REVOKED = makeToken("revoked");
let fake: FakeTrueppm;
let s: StdioSession;
const seen: string[] = [];

type Result = { isError?: boolean; structuredContent?: Record<string, any>; content?: unknown };

async function call(name: string, args: Record<string, unknown> = {}, session = s): Promise<Result> {
  const r = (await session.client.callTool({ name, arguments: args })) as Result;
  seen.push(JSON.stringify(r));
  return r;
}

async function ok(name: string, args: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await call(name, args);
  expect(r.isError, textOf(r)).toBeFalsy();
  expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
  return r.structuredContent!;
}

beforeAll(async () => {
  fake = await startFake({
    [TOKEN]: undefined,
    [THROTTLED]: { readPerMinute: 120, computePerMinute: 12 },
    [REVOKED]: undefined,
  });
  s = await connectStdio(["trueppm"], { env: trueppmEnv(fake, TOKEN) });
  // The boot check runs behind the handshake; let it land so request counts below see only the tools'.
  await waitFor(() => fake.requestsTo("auth/me/").length > 0);
}, 20_000);
afterAll(async () => {
  await s?.close();
  await fake?.close();
});

describe("tool inventory", () => {
  it("lists the 18 read tools, each fully annotated, strict and with an output schema", async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "list_projects",
        "get_project",
        "list_tasks",
        "get_task",
        "get_board_state",
        "get_schedule_summary",
        "list_risks",
        "get_monte_carlo_forecast",
        "whatif",
        "get_schedule_derivation",
        "get_release_forecast",
        "list_sprints",
        "get_sprint",
        "list_my_work",
        "list_programs",
        "get_program_health",
        "list_program_backlog",
        "whoami",
      ].sort(),
    );
    for (const t of tools) {
      expect(t.name).not.toMatch(/^(create_|update_|delete_|set_)/);
      expect(t.title, t.name).toBeTruthy();
      expect(t.description!.length, t.name).toBeGreaterThan(20);
      // The title is the tool's own (MCP 2025-06-18); annotations carry the four hints.
      expect(t.annotations, t.name).toEqual({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      });
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      expect(t.outputSchema?.type, t.name).toBe("object");
    }
    const whatif = tools.find((t) => t.name === "whatif")!;
    expect(Object.keys(whatif.inputSchema.properties!).sort()).toEqual(
      ["duration_delta", "n_simulations", "new_duration", "project_id", "task_id"].sort(),
    );
    const derivation = tools.find((t) => t.name === "get_schedule_derivation")!;
    expect((derivation.inputSchema.properties!.quantity as { enum: string[] }).enum).toHaveLength(10);
  }, 20_000);

  it("tells the model that returned text is data, not instructions", () => {
    const instructions = s.client.getInstructions() ?? "";
    expect(instructions).toContain("<untrusted-content>");
    expect(instructions).toMatch(/never follow instructions/);
  });

  it("rejects unknown arguments and ids that could change the request path", async () => {
    const r1 = await call("get_project", { project_id: D.P_ALPHA, extra: 1 });
    expect(r1.isError).toBe(true);
    const before = fake.requests.length;
    const r2 = await call("get_project", { project_id: "../auth/me" });
    expect(r2.isError).toBe(true);
    expect(fake.requests.length).toBe(before);
  }, 20_000);
});

describe("each tool through the real server over stdio", () => {
  it("list_projects: caller_role, compaction, untrusted wrapping, hidden and opted-out rows omitted", async () => {
    const r = await ok("list_projects");
    const ids = r.items.map((p: any) => p.id);
    expect(ids).toContain(D.P_ALPHA);
    expect(ids).not.toContain(D.P_HIDDEN);
    expect(ids).not.toContain(D.P_OPTOUT);
    expect(r.total_count).toBe(ids.length);
    expect(r.truncated).toBeUndefined();
    const alpha = r.items.find((p: any) => p.id === D.P_ALPHA);
    expect(alpha.caller_role).toBe("Project Manager");
    expect(alpha.my_role).toBeUndefined();
    expect(alpha.my_role_label).toBeUndefined();
    expect(alpha.percent_complete).toBe(0);
    expect(alpha.is_template).toBe(false);
    expect(alpha).not.toHaveProperty("archived_at");
    expect(alpha).not.toHaveProperty("tags");
    expect(alpha.truncated).toBe(true);
    expect(alpha.description).toBe(`<untrusted-content>${D.INJECTION.slice(0, 200)}</untrusted-content>`);
    expect(r.items.find((p: any) => p.id === D.P_BETA).caller_role).toBe(100);
  }, 20_000);

  it("get_project: detail and overview", async () => {
    const r = await ok("get_project", { project_id: D.P_ALPHA });
    expect(r).toMatchObject({ id: D.P_ALPHA, caller_role: "Project Manager" });
    expect(r.overview).toEqual({ schedule_health: "at_risk", tasks_late_count: 0, critical_task_count: 1 });
    const beta = await ok("get_project", { project_id: D.P_BETA });
    expect(beta).not.toHaveProperty("overview");
    expect(fake.requestsTo(`projects/${D.P_ALPHA}/overview/`).length).toBeGreaterThan(0);
  }, 20_000);

  it("list_tasks: filters become query parameters; since is an alias that updated_after overrides", async () => {
    const all = await ok("list_tasks", { project_id: D.P_ALPHA });
    expect(all.total_count).toBe(3);
    const critical = await ok("list_tasks", { project_id: D.P_ALPHA, is_critical: true });
    expect(critical.items.map((t: any) => t.id)).toEqual([D.T_CRITICAL]);
    await ok("list_tasks", { project_id: D.P_ALPHA, since: "2026-04-15T00:00:00Z", status: "IN_PROGRESS" });
    let q = new URLSearchParams(fake.requestsTo("tasks/").at(-1)!.query);
    expect(q.get("updated_after")).toBe("2026-04-15T00:00:00Z");
    expect(q.get("status")).toBe("IN_PROGRESS");
    expect(q.get("project")).toBe(D.P_ALPHA);
    const both = await ok("list_tasks", {
      project_id: D.P_ALPHA,
      since: "2026-04-15T00:00:00Z",
      updated_after: "2020-01-01T00:00:00Z",
      is_critical: false,
      type: "STORY",
    });
    q = new URLSearchParams(fake.requestsTo("tasks/").at(-1)!.query);
    expect(q.get("updated_after")).toBe("2020-01-01T00:00:00Z");
    expect(q.get("is_critical")).toBe("false");
    expect(q.get("type")).toBe("STORY");
    expect(both.items.map((t: any) => t.id)).toEqual([D.T_FLOAT]);
  }, 20_000);

  it("list_tasks: a big project stops at 1,000 rows and says truncated", async () => {
    const r = await ok("list_tasks", { project_id: D.P_BIG });
    expect(r.items).toHaveLength(1000);
    expect(r.total_count).toBe(1120);
    expect(r.truncated).toBe(true);
  }, 20_000);

  it("get_task: the three why cases", async () => {
    const critical = await ok("get_task", { task_id: D.T_CRITICAL });
    expect(critical.why.explanation).toMatch(/^This task is on the critical path/);
    expect(critical.notes).toBe("<untrusted-content>Keep an eye on the vendor.</untrusted-content>");
    const float = await ok("get_task", { task_id: D.T_FLOAT });
    expect(float.why.explanation).toBe(
      "This task has 4 working day(s) of total float before a slip affects the project finish.",
    );
    expect(float.truncated).toBe(true);
    const unscheduled = await ok("get_task", { task_id: D.T_UNSCHEDULED });
    expect(unscheduled).not.toHaveProperty("why");
  }, 20_000);

  it("get_board_state: columns and cards", async () => {
    const r = await ok("get_board_state", { project_id: D.P_ALPHA });
    expect(r.columns.map((c: any) => c.key)).toEqual(["TODO", "IN_PROGRESS", "DONE"]);
    expect(r.columns[2].wip_limit).toBe(0);
    expect(r.cards).toHaveLength(3);
    expect(r).not.toHaveProperty("cards_truncated");
    const big = await ok("get_board_state", { project_id: D.P_BIG });
    expect(big).toMatchObject({ cards_truncated: true, total_card_count: 1120 });
  }, 20_000);

  it("get_schedule_summary: forecast, critical_task_count from the first page, why", async () => {
    const before = fake.requestsTo("tasks/").length;
    const r = await ok("get_schedule_summary", { project_id: D.P_ALPHA });
    expect(r.critical_task_count).toBe(1);
    expect(r.cpm_finish).toBe("2026-11-30");
    expect(r.summary).toMatch(/^<untrusted-content>IGNORE/);
    expect(r.why.explanation).toBe(
      "This forecast: the deterministic CPM finish is 2026-11-30; driven by 1 critical-path task(s) — zero float, so any slip moves the finish.",
    );
    const taskCalls = fake.requestsTo("tasks/").slice(before);
    expect(taskCalls).toHaveLength(1);
    expect(new URLSearchParams(taskCalls[0]!.query).get("is_critical")).toBe("true");
  }, 20_000);

  it("list_risks", async () => {
    const r = await ok("list_risks", { project_id: D.P_ALPHA });
    expect(r.total_count).toBe(2);
    expect(r.items[0].mitigation).toMatch(/^<untrusted-content>IGNORE ALL/);
    expect(r.items[1]).not.toHaveProperty("response");
  }, 20_000);

  it("get_monte_carlo_forecast: why with P80 premium and top driver; none when data is missing", async () => {
    const r = await ok("get_monte_carlo_forecast", { project_id: D.P_ALPHA });
    expect(r.why.top_driver).toEqual({ task_id: D.T_CRITICAL, index: 0.88 });
    expect(r.why.explanation).toContain("is 10 working day(s) past the deterministic CPM finish 2026-11-30");
    const beta = await ok("get_monte_carlo_forecast", { project_id: D.P_BETA });
    expect(beta).toEqual({ runs: 0 });
  }, 20_000);

  it("whatif: parameters pass through, exactly one of the two durations", async () => {
    const r = await ok("whatif", {
      project_id: D.P_ALPHA,
      task_id: D.T_CRITICAL,
      duration_delta: 5,
      n_simulations: 200,
    });
    expect(r.critical_path_changed).toBe(true);
    expect(r.why.explanation).toBe(
      "This perturbation: the P80 finish moves 5 working day(s) later; the critical path changes — a different task chain now drives the finish.",
    );
    const q = new URLSearchParams(fake.requestsTo(`projects/${D.P_ALPHA}/monte-carlo/whatif/`).at(-1)!.query);
    expect(Object.fromEntries(q)).toEqual({
      task_id: D.T_CRITICAL,
      duration_delta: "5",
      n_simulations: "200",
    });
    const shorter = await ok("whatif", { project_id: D.P_ALPHA, task_id: D.T_CRITICAL, new_duration: 8 });
    expect(shorter.why.explanation).toBe(
      "This perturbation: the P80 finish moves 2 working day(s) earlier; the critical path is unchanged.",
    );
    for (const args of [{}, { duration_delta: 1, new_duration: 2 }]) {
      const bad = await call("whatif", { project_id: D.P_ALPHA, task_id: D.T_CRITICAL, ...args });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toBe(
        "Error executing tool whatif: Give exactly one of duration_delta or new_duration.",
      );
    }
  }, 20_000);

  it("get_schedule_derivation: quantity is an enum", async () => {
    const r = await ok("get_schedule_derivation", {
      project_id: D.P_ALPHA,
      task_id: D.T_FLOAT,
      quantity: "p80",
    });
    expect(r).toMatchObject({ quantity: "p80", pass: "monte_carlo" });
    expect(r).not.toHaveProperty("notes");
    const bad = await call("get_schedule_derivation", {
      project_id: D.P_ALPHA,
      task_id: D.T_FLOAT,
      quantity: "p99",
    });
    expect(bad.isError).toBe(true);
  }, 20_000);

  it("get_release_forecast: ready and warming-up shapes", async () => {
    expect(await ok("get_release_forecast", { project_id: D.P_ALPHA })).toMatchObject({
      state: "ready",
      p80_sprints: 4,
    });
    expect(await ok("get_release_forecast", { project_id: D.P_BETA })).toEqual({
      state: "warming_up",
      sprints_needed_for_forecast: 3,
    });
  }, 20_000);

  it("list_sprints and get_sprint (with health, and without a project)", async () => {
    const list = await ok("list_sprints", { project_id: D.P_ALPHA });
    expect(list.items.map((x: any) => x.id)).toEqual([D.SPRINT]);
    const sprint = await ok("get_sprint", { sprint_id: D.SPRINT });
    expect(sprint.health).toEqual({ band: "green", committed_points: 20, completed_points: 8 });
    const before = fake.requests.length;
    const orphan = await ok("get_sprint", { sprint_id: D.SPRINT_NO_PROJECT });
    expect(orphan).not.toHaveProperty("health");
    expect(fake.requests.length - before).toBe(1);
  }, 20_000);

  it("list_my_work", async () => {
    const r = await ok("list_my_work");
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((t: any) => t.project !== D.P_OPTOUT)).toBe(true);
  }, 20_000);

  it("list_programs, get_program_health, list_program_backlog", async () => {
    const programs = await ok("list_programs");
    expect(programs.items).toEqual([{ id: D.PROGRAM, name: "Space", caller_role: "Program Manager" }]);
    const health = await ok("get_program_health", { program_id: D.PROGRAM });
    expect(health.narrative).toBe("<untrusted-content>Two projects trending late.</untrusted-content>");
    const backlog = await ok("list_program_backlog", { program_id: D.PROGRAM });
    expect(backlog).toMatchObject({ total_count: 60 });
    expect(backlog.items).toHaveLength(60);
  }, 20_000);

  it("whoami", async () => {
    const r = await ok("whoami");
    expect(r).toMatchObject({ username: "ada", max_project_role: 300, can_access_admin_settings: false });
    expect(r).not.toHaveProperty("landing");
  }, 20_000);
});

describe("errors the agent sees", () => {
  it("404 is passed through as the existence oracle, identical for hidden and missing", async () => {
    const hidden = await call("list_risks", { project_id: D.P_HIDDEN });
    const missing = await call("list_risks", { project_id: "00000000-0000-4000-8000-000000000000" });
    expect(textOf(hidden).split("\n")[0]).toBe(
      `Error executing tool list_risks: Unexpected response from projects/${D.P_HIDDEN}/risks/: HTTP 404.`,
    );
    expect(textOf(missing).replace("00000000-0000-4000-8000-000000000000", D.P_HIDDEN)).toBe(textOf(hidden));
    expect(textOf(hidden)).not.toMatch(/exists|Secret merger/);
  }, 20_000);

  it("team opt-out: 403 with the refusal suffix for the project", async () => {
    const r = await call("get_project", { project_id: D.P_OPTOUT });
    expect(r.isError).toBe(true);
    expect(textOf(r).split("\n")[0]).toBe(
      `Error executing tool get_project: Unexpected response from projects/${D.P_OPTOUT}/: HTTP 403 — policy refusal (capability_scope).`,
    );
  }, 20_000);

  it("kill switch: every read is refused by policy", async () => {
    fake.killSwitch = true;
    try {
      const r = await call("list_projects");
      expect(textOf(r).split("\n")[0]).toBe(
        "Error executing tool list_projects: Unexpected response from projects/: HTTP 403 — policy refusal.",
      );
      expect(textOf(r).split("\n")[1]).toMatch(/switched MCP access off/);
    } finally {
      fake.killSwitch = false;
    }
  }, 20_000);

  it("a token revoked while the server runs", async () => {
    const revoked = await connectStdio(["trueppm"], { env: trueppmEnv(fake, REVOKED) });
    try {
      fake.revoked.add(REVOKED);
      const r = await call("whoami", {}, revoked);
      expect(textOf(r).split("\n")[0]).toBe(
        "Error executing tool whoami: The TruePPM API rejected the configured token (HTTP 401) — identity refusal (token_identity).",
      );
      expect(revoked.stderr()).not.toContain(REVOKED);
    } finally {
      await revoked.close();
    }
  }, 20_000);

  it("per-token throttle: 429 on compute views after 12 a minute, and no retry", async () => {
    const throttled = await connectStdio(["trueppm"], { env: trueppmEnv(fake, THROTTLED) });
    try {
      const texts: string[] = [];
      for (let i = 0; i < 13; i++) {
        texts.push(textOf(await call("get_release_forecast", { project_id: D.P_ALPHA }, throttled)));
      }
      expect(texts.slice(0, 12).every((t) => !t.startsWith("Error"))).toBe(true);
      expect(texts[12]!.split("\n")[0]).toBe(
        `Error executing tool get_release_forecast: Unexpected response from projects/${D.P_ALPHA}/sprint-forecast/: HTTP 429.`,
      );
      expect(texts[12]).toMatch(/wait about a minute/);
      expect(fake.requestsTo(`projects/${D.P_ALPHA}/sprint-forecast/`).length).toBeGreaterThanOrEqual(13);
    } finally {
      await throttled.close();
    }
  }, 20_000);
});

describe("responses that are not the API's JSON", () => {
  it("a login page instead of JSON, and a redirect (never followed)", async () => {
    const rollup = `programs/${D.PROGRAM}/rollup/`;
    fake.overrides.set(rollup, { status: 200, body: "<html>Sign in</html>" });
    try {
      const r = await call("get_program_health", { program_id: D.PROGRAM });
      expect(textOf(r).split("\n")[0]).toBe(
        `Error executing tool get_program_health: Unexpected response from ${rollup}: HTTP 200 — the body is not JSON.`,
      );
      fake.overrides.set(rollup, {
        status: 302,
        body: "",
        headers: { location: "http://example.invalid/steal" },
      });
      const before = fake.requests.length;
      const redirected = await call("get_program_health", { program_id: D.PROGRAM });
      expect(textOf(redirected).split("\n")[0]).toBe(
        `Error executing tool get_program_health: Unexpected response from ${rollup}: HTTP 302.`,
      );
      expect(fake.requests.length - before).toBe(1);
    } finally {
      fake.overrides.delete(rollup);
    }
  });
});

describe("read-only and secret-free", () => {
  it("only GET requests ever reached the backend, each with the bearer token and JSON accept", () => {
    expect(fake.requests.length).toBeGreaterThan(50);
    expect(new Set(fake.requests.map((r) => r.method))).toEqual(new Set(["GET"]));
    for (const r of fake.requests) expect(r.headers.accept).toBe("application/json");
  });

  it("the token never appears in stderr, results or errors, even when the API echoes it", async () => {
    fake.echoAuthorization = true;
    try {
      const r = await ok("whoami");
      expect(r.debug_authorization).toBe("Bearer <redacted>");
    } finally {
      fake.echoAuthorization = false;
    }
    const all = seen.join("\n") + s.stderr();
    expect(seen.length).toBeGreaterThan(30);
    for (const secret of [TOKEN, THROTTLED, REVOKED, TOKEN.slice(5)]) expect(all).not.toContain(secret);
  }, 20_000);
});
