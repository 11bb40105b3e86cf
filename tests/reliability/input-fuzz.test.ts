// Input fuzzing: for every tool of every server, inputs generated from its input schema and
// deliberately off it. Each must get a result or a JSON-RPC error (never a crash or a hang), and the
// server must still serve a valid call afterwards. Fixed seed and case count (SIZES) keep CI bounded.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import * as D from "../fixtures/trueppm/data.ts";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { inputs, type Overrides, type Schema } from "./fuzz-schema.ts";
import {
  CanaryWatch,
  Counters,
  classifyCall,
  descendants,
  eventually,
  HANG_MS,
  SEED,
  SIZES,
  stillRunning,
} from "./harness.ts";
import { prepare, probeOk, type Rig, SERVERS, type ServerName, stdio } from "./servers.ts";

const T = HANG_MS * 20;
const counters = new Counters("input-fuzz");
const watch = new CanaryWatch();
const rigs: Rig[] = [];

afterAll(async () => {
  for (const r of rigs) await r.close();
  counters.flush();
}, T);

const some = (...values: unknown[]) => fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 12 }));

/** Known-good values for the fields that name things, so fuzzing also reaches the real code paths. */
async function overridesFor(name: ServerName, s: StdioSession, rig: Rig): Promise<Overrides> {
  switch (name) {
    case "gateway":
      return {
        tool_id: some(
          "faulty::echo_text",
          "faulty::strict_args",
          "faulty::leak_secret",
          "faulty::flood_output",
        ),
        server_name: some("faulty", "nonexistent"),
      };
    case "ptc":
      return {
        code: fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.constantFrom(
            "console.log(1)",
            "const r = await mcp__mock__add({a: 1, b: 2}); console.log(JSON.stringify(r))",
            "await mcp__mock__greet({name: 42})",
            "await mcp__mock__fail({})",
            "throw new Error('boom')",
            "let s = ''; for (let i = 0; i < 1e5; i++) s += i; console.log(s.length)",
            "print('hi')",
            "def f(:",
          ),
        ),
        tool_name: some("mcp__mock__add", "mcp__mock__greet", "mcp__mock__nope"),
      };
    case "pty": {
      const ids: string[] = [];
      for (const command of ["cat", "sleep 30"]) {
        const r = (await s.client.callTool({ name: "pty_spawn", arguments: { command, owner: "fuzz" } })) as {
          content: { text: string }[];
        };
        ids.push(r.content[0]!.text);
      }
      return {
        // Only harmless programs: fuzzing must never run what a random string happens to spell.
        command: fc.constantFrom(
          "true",
          "cat",
          "echo fuzz",
          "sleep 0.2",
          "printf 'a\\nb'",
          "nonexistent-cmd-xyz",
        ),
        session_id: some(...ids),
        owner: fc.constantFrom("fuzz", "intruder", null, ""),
        cwd: fc.constantFrom(null, rig.dir, "/nonexistent/dir", "."),
        path: fc.constantFrom(rig.dir, "/nonexistent/dir", ""),
        sig: some("TERM", "INT", "HUP", "KILL", "SIGUSR1"),
        dangerous_confirm_token: fc.constantFrom(null, "dc_00000000000000000000000000000000"),
      };
    }
    case "ptm":
      return {
        prompt_id: some("team.summarizer", "team.classifier", "bulk.p01"),
        run_key: some("run_done1"),
        optimization_id: some("opt_running", "opt_done"),
        group_id: some("grp_platform", "grp_research"),
        provider_id: some("openai_gpt41_mini"),
        provider_ids: fc.array(some("openai_gpt41_mini", "local_llama"), { maxLength: 2 }),
        prompt_ids: fc.array(some("team.summarizer"), { maxLength: 2 }),
      };
    case "trueppm":
      return {
        project_id: some(D.P_ALPHA, D.P_BIG, D.P_OPTOUT),
        task_id: some(D.T_CRITICAL, D.T_FLOAT),
        sprint_id: some(D.SPRINT),
        program_id: some(D.PROGRAM),
      };
  }
}

function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
}

for (const name of SERVERS) {
  describe(`${name}: every tool, schema-generated and off-schema inputs`, () => {
    it(
      `answers every input with a result or a JSON-RPC error and keeps serving (${SIZES.fuzzRunsPerTool} cases per tool, seed ${SEED})`,
      async () => {
        const rig = await prepare(name);
        rigs.push(rig);
        const s = await stdio(rig, watch);
        const overrides = await overridesFor(name, s, rig);
        const { tools } = await s.client.listTools();
        expect(tools.length).toBeGreaterThan(0);
        const failures: string[] = [];
        const seenKinds = new Map<string, number>();
        for (const tool of tools) {
          await fc
            .assert(
              fc.asyncProperty(inputs(tool.inputSchema as Schema, overrides), async (input) => {
                counters.add("inputsTried");
                const out = await classifyCall(s.client, tool.name, input);
                watch.seen(out.value);
                seenKinds.set(out.kind, (seenKinds.get(out.kind) ?? 0) + 1);
                if (out.kind === "failure") {
                  failures.push(`${tool.name}(${brief(input)}): ${String(out.value)}`);
                  return false;
                }
                counters.add("inputsAnswered");
                return true;
              }),
              { seed: SEED, numRuns: SIZES.fuzzRunsPerTool, endOnFailure: true },
            )
            .catch((err: unknown) => {
              if (!failures.length) failures.push(`${tool.name}: ${String(err).slice(0, 500)}`);
            });
          // Still serving a valid call after this tool's inputs.
          const alive = await probeOk(s.client, rig.probe, watch).catch((e: unknown) => {
            failures.push(`${tool.name}: the probe failed afterwards: ${String(e)}`);
            return false;
          });
          if (!alive) break;
        }
        counters.note({ server: name, tools: tools.length, answers: Object.fromEntries(seenKinds) });
        expect(failures).toEqual([]);
        // Every kind of answer showed up: real results and refusals, not just one of them.
        expect(seenKinds.get("result") ?? 0).toBeGreaterThan(0);
        expect((seenKinds.get("tool-error") ?? 0) + (seenKinds.get("rpc-error") ?? 0)).toBeGreaterThan(0);
        if (name === "pty") await s.client.callTool({ name: "pty_close_all", arguments: {} });
        const kids = descendants(s.pid!);
        await s.close();
        const left = (await eventually(() => stillRunning([s.pid!, ...kids]).length === 0))
          ? []
          : stillRunning([s.pid!, ...kids]);
        counters.add("leaksFound", left.length);
        expect(left).toEqual([]);
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
