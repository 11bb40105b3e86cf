// `npm run bench` (full) / `npm run bench -- --quick` (about a minute): measures every built server
// and each way of running it against the peers named in the issues, in the same run, and writes
// bench/results.md + bench/results.json (and the README's Performance block with --update-readme).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SERVER_COMMANDS } from "../lib/cli/commands.ts";
import {
  coldStart,
  compareWithBaseline,
  httpThroughput,
  peerSubject,
  roundTripAndMemory,
  type Subject,
  toolTokens,
} from "./bench/protocol.ts";
import { type BenchContext, machineInfo, type Row, updateReadme, writeResults } from "./bench/report.ts";
import { serverSuites } from "./bench/server-suites.ts";
import { baseEnv, type PreparedTarget, serverTargets } from "./server-targets.ts";

const ROOT = resolve(new URL(".", import.meta.url).pathname, "..");
const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    /** Ways of running mcpkit to measure (default: all available), e.g. --way "node bundle". */
    way: { type: "string", multiple: true },
    /** A checkout of another version with its bundle built (e.g. main, v1), measured in the same run. */
    baseline: { type: "string" },
    "baseline-name": { type: "string", default: "v1 main" },
    "update-readme": { type: "boolean", default: false },
  },
});
const quick = Boolean(values.quick);
const want = (suite: string) => !values.only || values.only.includes(suite);

const rows: Row[] = [];
const ctx: BenchContext = {
  quick,
  root: ROOT,
  rows,
  add: (r) => {
    rows.push(r);
    process.stderr.write(
      `  ${r.suite} · ${r.subject} · ${r.metric}: median ${r.median.toFixed(2)} ${r.unit}\n`,
    );
  },
};

const bin = (n: string) => join(ROOT, "node_modules/.bin", n);
const WAYS: { way: string; cmd: string[]; available: boolean }[] = [
  {
    way: "node bundle",
    cmd: ["node", join(ROOT, "dist/mcpkit.mjs")],
    available: existsSync(join(ROOT, "dist/mcpkit.mjs")),
  },
  {
    way: "compiled binary",
    cmd: [join(ROOT, "dist/mcpkit")],
    available: existsSync(join(ROOT, "dist/mcpkit")),
  },
  { way: "bun", cmd: [bin("bun"), join(ROOT, "main.ts")], available: existsSync(bin("bun")) },
  {
    way: "deno",
    cmd: [bin("deno"), "run", "-A", "--quiet", join(ROOT, "main.ts")],
    available: existsSync(bin("deno")),
  },
].filter((w) => !values.way || values.way.includes(w.way));
const BASELINE = values.baseline ? `${values["baseline-name"]} · node bundle` : undefined;
if (values.baseline) {
  const bundle = join(resolve(values.baseline), "dist/mcpkit.mjs");
  if (!existsSync(bundle))
    throw new Error(`--baseline: no ${bundle}; build that checkout first (node scripts/build.mjs)`);
  WAYS.push({ way: BASELINE!, cmd: ["node", bundle], available: true });
}

async function main() {
  const built = SERVER_COMMANDS.filter(
    (c) => c.load && existsSync(join(ROOT, "lib/servers", c.name, "index.ts")),
  );
  const targets = new Map<string, PreparedTarget>();
  for (const c of built) if (serverTargets[c.name]) targets.set(c.name, await serverTargets[c.name]!());
  const peer = peerSubject(ROOT, baseEnv());
  const subjects = (ways: string[], pin?: Subject["pin"]): Subject[] => {
    const out: Subject[] = [];
    for (const [server, t] of targets) {
      for (const w of WAYS.filter((x) => x.available && ways.includes(x.way))) {
        out.push({
          label: pin ? `${server} (${w.way}, ${pin} client)` : `${server} (${w.way})`,
          server,
          way: w.way,
          pin,
          stdio: { command: w.cmd[0]!, args: [...w.cmd.slice(1), server, ...t.args], env: t.env, cwd: t.cwd },
          http: () => ({
            command: w.cmd[0]!,
            args: [
              ...w.cmd.slice(1),
              server,
              ...t.args,
              "--transport",
              "http",
              "--port",
              "0",
              "--log-level",
              "warn",
            ],
            env: t.env,
            cwd: t.cwd,
          }),
          trivialCall: t.trivialCall,
        });
      }
    }
    return out;
  };
  try {
    if (want("cold")) {
      process.stderr.write("cold start…\n");
      await coldStart(ctx, [
        ...subjects(WAYS.map((w) => w.way)),
        ...subjects(["node bundle"], "2026-07-28"),
        peer,
      ]);
    }
    if (want("roundtrip")) {
      process.stderr.write("stdio round trip + memory…\n");
      const ways = ["node bundle", "compiled binary", ...(BASELINE ? [BASELINE] : [])];
      await roundTripAndMemory(ctx, [...subjects(ways), ...subjects(["node bundle"], "2026-07-28"), peer]);
    }
    if (want("http")) {
      process.stderr.write("Streamable HTTP throughput…\n");
      await httpThroughput(ctx, [...subjects(["node bundle", "compiled binary"]), peer]);
    }
    if (BASELINE) compareWithBaseline(ctx, BASELINE);
    if (want("tokens")) await toolTokens(ctx, [...subjects(["node bundle"]), peer]);
    for (const suite of serverSuites) {
      if (!want(suite.name) || !targets.has(suite.server)) continue;
      process.stderr.write(`${suite.name}…\n`);
      await suite.run(ctx, { target: targets.get(suite.server)!, mcpkit: WAYS[0]!.cmd });
    }
  } finally {
    for (const t of targets.values()) await t.cleanup();
  }
  const machine = machineInfo(ROOT);
  const md = writeResults(ROOT, rows, machine, quick);
  if (values["update-readme"] && updateReadme(ROOT, md)) {
    // The README is linted: lay the generated tables out as the formatter would.
    spawnSync(join(ROOT, "node_modules/.bin/biome"), ["format", "--write", "README.md"], {
      cwd: ROOT,
      stdio: "ignore",
    });
  }
  process.stdout.write(`${md}\nwrote bench/results.md and bench/results.json\n`);
  process.exit(0);
}

await main();
