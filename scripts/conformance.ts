// Runs the official MCP conformance suite (@modelcontextprotocol/conformance 0.2) against every server,
// in both protocol eras (`--requirements 2026-07-28` and `--requirements 2025-11-25`), three ways:
//   fixtures-http   the conformance host (mcpkit's CLI + the suite's fixtures) over Streamable HTTP
//   fixtures-stdio  the same over stdio, through the stdio→HTTP bridge
//   real-http       mcpkit itself (the Node bundle, or MCPKIT_CMD), real tools only, generic scenarios
// A failure passes only when conformance/expected-failures.yml excuses it. Run with Bun (the suite needs
// Node 22's fs.globSync): `npm run conformance [-- --server pty --mode real-http --era 2026-07-28]`.
// Output: conformance-results/ (raw.log, per-run check files, summary.md); last line "N passed, N failed".
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { SERVER_COMMANDS } from "../lib/cli/commands.ts";
import { ExpectedFailures, type Mode } from "./conformance/expected.ts";
import { ERAS, type Era, readRun, type ScenarioResult } from "./conformance/results.ts";
import { startStdioBridge } from "./conformance/stdio-bridge.ts";
import { type PreparedTarget, serverTargets } from "./server-targets.ts";

const ROOT = resolve(new URL(".", import.meta.url).pathname, "..");
const OUT = join(ROOT, "conformance-results");
const RAW = join(OUT, "raw.log");
const SUITE = join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const HOST = join(ROOT, "dist/conformance/host.mjs");
const MODES: Mode[] = ["fixtures-http", "fixtures-stdio", "real-http"];
/** The reference target: a tiny server on the core tool contract, so fixture regressions show on their own. */
const REFERENCE = "echo";

/** Scenarios that need no fixtures: what the real tool set is judged on. */
const GENERIC: Record<Era, string[]> = {
  "2026-07-28": [
    "server-stateless",
    "tools-list",
    "caching",
    "resources-list",
    "prompts-list",
    "sep-2164-resource-not-found",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "http-header-validation",
  ],
  "2025-11-25": [
    "server-initialize",
    "ping",
    "logging-set-level",
    "tools-list",
    "resources-list",
    "prompts-list",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "server-session-lifecycle",
  ],
};

const { values } = parseArgs({
  options: {
    server: { type: "string", multiple: true },
    mode: { type: "string", multiple: true },
    era: { type: "string", multiple: true },
  },
});

/** mcpkit as the real-tools mode runs it: the Node bundle unless MCPKIT_CMD says otherwise. */
function mcpkit(): string[] {
  const custom = process.env.MCPKIT_CMD?.trim();
  return custom ? custom.split(/\s+/) : ["node", join(ROOT, "dist/mcpkit.mjs")];
}

/** Runs the suite to completion without blocking this process (the stdio bridge lives here). */
function runCli(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
    });
    child.stderr!.on("data", (d: Buffer) => {
      out += d;
    });
    const timer = setTimeout(() => {
      out += `\n[conformance runner: killed after ${timeoutMs / 1000}s]\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("close", () => {
      clearTimeout(timer);
      done(out);
    });
  });
}

async function runSuite(url: string, era: Era, label: string): Promise<Map<string, ScenarioResult>> {
  const dir = join(OUT, label.replace(/\W+/g, "-"));
  const out = await runCli([SUITE, "server", "--url", url, "--requirements", era, "-o", dir], 300_000);
  appendFileSync(RAW, `\n##### ${label}\n${out}`);
  return readRun(dir, out);
}

/** Starts an HTTP server command and resolves with its URL (Host `localhost`, as clients send it). */
async function startHttp(
  command: string[],
  target: PreparedTarget,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    command[0]!,
    [...command.slice(1), "--transport", "http", "--port", "0"],
    {
      env: target.env,
      cwd: target.cwd,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
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
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await done;
    },
  };
}

/** True when the server lists the fixture tools, i.e. passes ServerExtensions on (issue #18). */
async function hasFixtures(url: string): Promise<boolean> {
  const client = new Client({ name: "conformance-probe", version: "0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return (await client.listTools()).tools.some((t) => t.name === "test_simple_text");
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

async function serve(name: string, mode: Mode, target: PreparedTarget) {
  const host = ["node", HOST, name, ...target.args];
  if (mode === "real-http") return startHttp([...mcpkit(), name, ...target.args], target);
  if (mode === "fixtures-http") return startHttp(host, target);
  const bridge = await startStdioBridge({
    command: host[0]!,
    args: host.slice(1),
    env: target.env,
    cwd: target.cwd,
  });
  return { url: bridge.url.replace("127.0.0.1", "localhost"), stop: bridge.close };
}

interface Unit {
  server: string;
  mode: Mode;
  era: Era;
  ok: boolean;
  scenarios: number;
  scenariosPassed: number;
  checks: number;
  checksPassed: number;
  /** Scenarios the requirement set scores, and how many of them passed outright. */
  scored: number;
  scoredPassed: number;
  excused: string[];
  problem?: string;
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(RAW, "");
  const { buildBundle } = await import(join(ROOT, "scripts/build.mjs"));
  if (!existsSync(join(ROOT, "dist/mcpkit.mjs"))) await buildBundle({});
  await buildBundle({ outfile: HOST, entry: join(ROOT, "scripts/conformance/host.ts"), minify: false });

  const expected = new ExpectedFailures(join(ROOT, "conformance/expected-failures.yml"));
  const servers = [
    REFERENCE,
    ...SERVER_COMMANDS.filter((c) => c.load && existsSync(join(ROOT, "lib/servers", c.name, "index.ts"))).map(
      (c) => c.name,
    ),
  ].filter((s) => !values.server || values.server.includes(s));
  const modes = (values.mode as Mode[] | undefined) ?? MODES;
  const eras = (values.era as Era[] | undefined) ?? [...ERAS];
  const units: Unit[] = [];

  for (const server of servers) {
    for (const mode of modes) {
      if (server === REFERENCE && mode === "real-http") continue;
      const target = await serverTargets[server]!();
      let running: { url: string; stop(): Promise<void> } | undefined;
      try {
        running = await serve(server, mode, target);
        const wired = mode === "real-http" || (await hasFixtures(running.url));
        for (const era of eras) {
          const unit: Unit = {
            server,
            mode,
            era,
            ok: true,
            scenarios: 0,
            scenariosPassed: 0,
            checks: 0,
            checksPassed: 0,
            scored: 0,
            scoredPassed: 0,
            excused: [],
          };
          units.push(unit);
          if (!wired) {
            unit.ok = false;
            unit.problem =
              "no fixture tools listed: the server's createServer does not pass ServerExtensions to its ToolRegistry";
            continue;
          }
          const results = await runSuite(running.url, era, `${server} ${mode} ${era}`);
          const judged = [...results.values()].filter(
            (r) => mode !== "real-http" || GENERIC[era].includes(r.name),
          );
          if (judged.length === 0) {
            unit.ok = false;
            unit.problem = "the suite produced no results (see raw.log)";
          }
          const failed: string[] = [];
          for (const r of judged) {
            unit.scenarios++;
            unit.checks += r.passed + r.failed;
            unit.checksPassed += r.passed;
            const verdict = expected.judge(server, mode, era, r);
            if (!r.notScored) unit.scored++;
            if (!r.notScored && verdict.kind === "pass") unit.scoredPassed++;
            if (verdict.kind === "pass") unit.scenariosPassed++;
            else if (verdict.kind === "excused") unit.excused.push(r.name);
            else failed.push(`${r.name} (${verdict.checks.join(", ")})`);
          }
          unit.excused.sort();
          if (failed.length) {
            unit.ok = false;
            unit.problem = `unexpected failures: ${failed.join("; ")}`;
          }
          const stale = expected.stale(server, mode, era, results);
          if (stale.length)
            console.log(
              `note ${server} ${mode} ${era}: now passing, listed as expected: ${stale.join(", ")}`,
            );
        }
      } catch (err) {
        units.push({
          server,
          mode,
          era: eras[0]!,
          ok: false,
          scenarios: 0,
          scenariosPassed: 0,
          checks: 0,
          checksPassed: 0,
          scored: 0,
          scoredPassed: 0,
          excused: [],
          problem: `could not start: ${String(err)}`,
        });
      } finally {
        await running?.stop().catch(() => {});
        await target.cleanup();
      }
      for (const u of units.filter((x) => x.server === server && x.mode === mode)) {
        console.log(
          `${u.ok ? "ok  " : "FAIL"} ${u.server.padEnd(8)} ${u.mode.padEnd(15)} ${u.era}  scenarios ${u.scenariosPassed}/${u.scenarios}` +
            ` (checks ${u.checksPassed}/${u.checks})` +
            (u.excused.length ? `, expected failures: ${u.excused.join(", ")}` : "") +
            (u.problem ? `  ${u.problem}` : ""),
        );
      }
    }
  }
  writeFileSync(join(OUT, "summary.md"), summaryTable(units));
  const passed = units.filter((u) => u.ok).length;
  console.log(`${passed} passed, ${units.length - passed} failed`);
  process.exit(units.length === passed ? 0 : 1);
}

/**
 * One row per server and era, one column per mode: scored scenarios passed / scored, then all scenarios
 * passed / run (the rest failed as excused in expected-failures.yml, or, marked ✗, unexpectedly).
 */
function summaryTable(units: Unit[]): string {
  const cell = (u: Unit | undefined) => {
    if (!u) return "–";
    if (u.problem && u.scenarios === 0) return "✗ not run";
    return `${u.ok ? "" : "✗ "}${u.scoredPassed}/${u.scored} (all: ${u.scenariosPassed}/${u.scenarios})`;
  };
  const rows = [
    "| server | era | HTTP, fixtures | stdio, fixtures | HTTP, real tools |",
    "|---|---|---|---|---|",
  ];
  for (const server of [...new Set(units.map((u) => u.server))]) {
    for (const era of ERAS) {
      const find = (mode: Mode) => units.find((u) => u.server === server && u.mode === mode && u.era === era);
      if (!MODES.some(find)) continue;
      rows.push(
        `| ${server} | ${era} | ${cell(find("fixtures-http"))} | ${cell(find("fixtures-stdio"))} | ${cell(find("real-http"))} |`,
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

await main();
