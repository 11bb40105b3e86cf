// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against every built
// server: the full active suite over Streamable HTTP and over stdio (through our stdio→HTTP bridge),
// both with --conformance-fixtures, and the generic scenarios against the real tool set.
// Run with Bun (the suite needs Node 22 APIs): `npm run conformance` → `bun scripts/conformance.ts`.
// Raw output goes to conformance-results/raw.log; the last line is "N passed, N failed".
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { SERVER_COMMANDS } from "../lib/cli/commands.ts";
import { startStdioBridge } from "../lib/conformance/stdio-bridge.ts";
import { type PreparedTarget, serverTargets } from "./server-targets.ts";

const ROOT = resolve(new URL(".", import.meta.url).pathname, "..");
const OUT = join(ROOT, "conformance-results");
const RAW = join(OUT, "raw.log");
const SUITE = join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const GENERIC = [
  "server-initialize",
  "ping",
  "tools-list",
  "resources-list",
  "prompts-list",
  "logging-set-level",
  "server-sse-multiple-streams",
  "dns-rebinding-protection",
];

type Mode = "http-fixtures" | "stdio-fixtures" | "http-real";
type Expected = Record<string, Partial<Record<Mode, Record<string, string>>>>;

const { values } = parseArgs({
  options: { server: { type: "string", multiple: true }, mode: { type: "string", multiple: true } },
});

/** The CLI of mcpkit as the suite sees it: the Node bundle unless MCPKIT_CMD says otherwise. */
function mcpkit(): string[] {
  const custom = process.env.MCPKIT_CMD?.trim();
  return custom ? custom.split(/\s+/) : ["node", join(ROOT, "dist/mcpkit.mjs")];
}

/** Runs the conformance CLI to completion without blocking this process's event loop (the stdio bridge
 * lives in this process and must keep answering while the suite talks to it). */
function runCli(args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      stderr += `\n[conformance runner: killed after ${timeoutMs / 1000}s]\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("close", () => {
      clearTimeout(timer);
      resolvePromise({ stdout, stderr });
    });
  });
}

/** Runs the suite (all active scenarios, or one) and returns per-scenario pass/fail. */
async function runSuite(
  url: string,
  label: string,
  scenario?: string,
): Promise<Map<string, { passed: number; failed: number }>> {
  const args = [SUITE, "server", "--url", url, "-o", join(OUT, label.replace(/\W+/g, "-"))];
  if (scenario) args.push("--scenario", scenario);
  const r = await runCli(args, scenario ? 60_000 : 240_000);
  appendFileSync(RAW, `\n##### ${label}${scenario ? ` ${scenario}` : ""}\n${r.stdout}${r.stderr}`);
  const results = new Map<string, { passed: number; failed: number }>();
  // The full suite prints one "✓ name: N passed, M failed" line per scenario; a single scenario
  // prints "Passed: N/T, M failed" instead.
  for (const m of r.stdout.matchAll(/^[✓✗] ([\w-]+): (\d+) passed, (\d+) failed/gm)) {
    results.set(m[1]!, { passed: Number(m[2]), failed: Number(m[3]) });
  }
  const single = /^Passed: (\d+)\/(\d+), (\d+) failed/m.exec(r.stdout);
  if (scenario && single) results.set(scenario, { passed: Number(single[1]), failed: Number(single[3]) });
  if (results.size === 0) results.set(scenario ?? "suite", { passed: 0, failed: 1 });
  return results;
}

async function startHttp(
  args: string[],
  target: PreparedTarget,
): Promise<{ url: string; stop(): Promise<void> }> {
  const [cmd, ...pre] = mcpkit();
  const child = spawn(cmd!, [...pre, ...args], {
    env: target.env,
    cwd: target.cwd,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  const url = await new Promise<string>((res, rej) => {
    child.stderr!.on("data", (d: Buffer) => {
      err += d;
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!.replace("127.0.0.1", "localhost"));
    });
    child.once("exit", (code) => rej(new Error(`exited ${code}: ${err.slice(-500)}`)));
  });
  return {
    url,
    stop: async () => {
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await done;
    },
  };
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(RAW, "");
  const expected = (parseYaml(readFileSync(join(ROOT, "conformance/expected-failures.yml"), "utf8")) ??
    {}) as Expected;
  const built = SERVER_COMMANDS.filter(
    (c) =>
      c.load &&
      existsSync(join(ROOT, "lib/servers", c.name, "index.ts")) &&
      (!values.server || values.server.includes(c.name)),
  );
  const modes = (values.mode as Mode[] | undefined) ?? ["http-fixtures", "stdio-fixtures", "http-real"];
  let passed = 0;
  let failed = 0;
  const table: string[] = [
    "| server | mode | scenarios passed | checks passed | expected failures |",
    "|---|---|---|---|---|",
  ];

  for (const spec of built) {
    const target = await serverTargets[spec.name]!();
    try {
      for (const mode of modes) {
        const results = new Map<string, { passed: number; failed: number }>();
        const label = `${spec.name} ${mode}`;
        try {
          if (mode === "stdio-fixtures") {
            const [cmd, ...pre] = mcpkit();
            const bridge = await startStdioBridge({
              command: cmd!,
              args: [...pre, spec.name, ...target.args, "--conformance-fixtures"],
              env: target.env,
              cwd: target.cwd,
            });
            try {
              for (const [k, v] of await runSuite(bridge.url.replace("127.0.0.1", "localhost"), label))
                results.set(k, v);
            } finally {
              await bridge.close();
            }
          } else {
            const fixtures = mode === "http-fixtures" ? ["--conformance-fixtures"] : [];
            const server = await startHttp(
              [spec.name, ...target.args, "--transport", "http", "--port", "0", ...fixtures],
              target,
            );
            try {
              if (mode === "http-fixtures")
                for (const [k, v] of await runSuite(server.url, label)) results.set(k, v);
              else
                for (const s of GENERIC)
                  for (const [k, v] of await runSuite(server.url, label, s)) results.set(k, v);
            } finally {
              await server.stop();
            }
          }
        } catch (err) {
          appendFileSync(RAW, `\n##### ${label} could not start: ${String(err)}\n`);
          results.set("start", { passed: 0, failed: 1 });
        }
        const allowed = expected[spec.name]?.[mode] ?? {};
        let scenariosOk = 0;
        let checks = 0;
        let checksOk = 0;
        const unexpected: string[] = [];
        const excused: string[] = [];
        for (const [scenario, r] of results) {
          checks += r.passed + r.failed;
          checksOk += r.passed;
          if (r.failed === 0) scenariosOk++;
          else if (allowed[scenario]) excused.push(scenario);
          else unexpected.push(scenario);
        }
        const ok = unexpected.length === 0;
        if (ok) passed++;
        else failed++;
        table.push(
          `| ${spec.name} | ${mode} | ${scenariosOk}/${results.size} | ${checksOk}/${checks} | ${excused.join(", ") || "–"} |`,
        );
        console.log(
          `${ok ? "ok  " : "FAIL"} ${spec.name.padEnd(8)} ${mode.padEnd(15)} scenarios ${scenariosOk}/${results.size}, checks ${checksOk}/${checks}` +
            (excused.length ? `, expected failures: ${excused.join(", ")}` : "") +
            (unexpected.length ? `, FAILED: ${unexpected.join(", ")}` : ""),
        );
      }
    } finally {
      await target.cleanup();
    }
  }
  writeFileSync(join(OUT, "summary.md"), `${table.join("\n")}\n`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
