import { spawn } from "node:child_process";
import * as D from "../fixtures/trueppm/data.ts";
import { FakeTrueppm, type TokenPolicy } from "../fixtures/trueppm/fake-backend.ts";
import { baseEnv, mcpkitCommand, ROOT } from "../helpers/mcpkit.ts";

/** A token shaped like the real ones (tppm_ + 64 hex), unique per call so throttles never cross tests. */
export function makeToken(tag: string): string {
  const hex = Buffer.from(`${tag}-${Math.random()}`).toString("hex").padEnd(64, "0").slice(0, 64);
  return `tppm_${hex}`;
}

export async function startFake(tokens: Record<string, TokenPolicy | undefined>): Promise<FakeTrueppm> {
  const fake = new FakeTrueppm();
  for (const [token, policy] of Object.entries(tokens)) fake.addToken(token, policy);
  return fake.start();
}

export function trueppmEnv(fake: FakeTrueppm, token: string, extra: Record<string, string> = {}) {
  return baseEnv({ TRUEPPM_API_URL: fake.origin, TRUEPPM_API_TOKEN: token, ...extra });
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs mcpkit with stdin closed and returns how it ended (killed after `timeoutMs`). */
export function runToExit(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<Finished> {
  const cmd = mcpkitCommand();
  const child = spawn(cmd.command, [...cmd.args, ...args], {
    env,
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.text ?? "";
}

/** One successful call of each of the 18 tools against the fake backend's data. */
export const ONE_CALL_EACH: [string, Record<string, unknown>][] = [
  ["list_projects", {}],
  ["get_project", { project_id: D.P_ALPHA }],
  ["list_tasks", { project_id: D.P_ALPHA, is_critical: true }],
  ["get_task", { task_id: D.T_FLOAT }],
  ["get_board_state", { project_id: D.P_ALPHA }],
  ["get_schedule_summary", { project_id: D.P_ALPHA }],
  ["list_risks", { project_id: D.P_ALPHA }],
  ["get_monte_carlo_forecast", { project_id: D.P_ALPHA }],
  ["whatif", { project_id: D.P_ALPHA, task_id: D.T_CRITICAL, duration_delta: 2 }],
  ["get_schedule_derivation", { project_id: D.P_ALPHA, task_id: D.T_FLOAT, quantity: "total_float" }],
  ["get_release_forecast", { project_id: D.P_ALPHA }],
  ["list_sprints", { project_id: D.P_ALPHA }],
  ["get_sprint", { sprint_id: D.SPRINT }],
  ["list_my_work", {}],
  ["list_programs", {}],
  ["get_program_health", { program_id: D.PROGRAM }],
  ["list_program_backlog", { program_id: D.PROGRAM }],
  ["whoami", {}],
];
