import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";
import {
  cleanupTemps,
  isBuilt,
  run,
  runAsync,
  type SmokeServer,
  startSmokeServer,
  tempDir,
} from "./helpers.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

// The echo fixture is the real CLI with one extra test server, so `tools`/`call` spawn it as a child.
const ECHO = resolve(ROOT, "dist/test/echo-cli.mjs");
const MCPKIT = resolve(ROOT, "dist/mcpkit.mjs");
const echo = (args: string[], input?: string) => run("node", [ECHO, ...args], { input });

let httpUrl = "";
let stopHttp: () => void = () => {};
let smoke: SmokeServer;

beforeAll(async () => {
  const child = spawn("node", [ECHO, "echo", "-t", "http", "-p", "0", "--auth-token", "s3cret-token"], {
    env: baseEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  stopHttp = () => child.kill("SIGTERM");
  httpUrl = await new Promise<string>((res, rej) => {
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    child.once("exit", (c) => rej(new Error(`echo http exited ${c}: ${err}`)));
  });
  smoke = await startSmokeServer();
}, T);

afterAll(async () => {
  stopHttp();
  await smoke?.stop();
  cleanupTemps();
});

describe("mcpkit tools", () => {
  it(
    "lists a spawned server's tools with token counts (--json)",
    () => {
      const r = echo(["tools", "echo", "--json"]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.tools.map((t: { name: string }) => t.name)).toEqual(["echo", "child_pid"]);
      for (const t of out.tools) expect(t.tokens).toBeGreaterThan(10);
      expect(out.totalTokens).toBe(out.tools[0].tokens + out.tools[1].tokens);
    },
    T,
  );

  it(
    "prints a table for people",
    () => {
      const r = echo(["tools", "echo"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^echo: 2 tools, \d+ tokens/);
      expect(r.stdout).toMatch(/echo\s+\d+\s+Echo/);
    },
    T,
  );

  it(
    "talks to a running HTTP server with --url and --auth-token",
    () => {
      const r = echo(["tools", "--url", httpUrl, "--auth-token", "s3cret-token", "--json"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).tools).toHaveLength(2);
      const denied = echo(["tools", "--url", httpUrl]);
      expect(denied.code).toBe(1);
      expect(denied.stderr.trim().split("\n")).toHaveLength(1);
      expect(denied.stderr).toContain("--auth-token");
    },
    T,
  );

  it(
    `passes --env through to the child (${isBuilt("pty") ? "pty" : "trueppm against its fake backend"})`,
    async () => {
      const envArgs = Object.entries(smoke.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
      const r = await runAsync("node", [MCPKIT, "tools", smoke.name, ...envArgs, "--json"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).tools.length).toBeGreaterThan(0);
      for (const v of Object.values(smoke.env))
        if (v.startsWith("tppm_")) expect(r.stdout + r.stderr).not.toContain(v);
    },
    T,
  );

  it(
    "a server that cannot start: one line with its reason, exit 1",
    () => {
      if (!isBuilt("trueppm")) return;
      const r = run("node", [MCPKIT, "tools", "trueppm"]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("TRUEPPM_API_URL");
    },
    T,
  );

  it(
    "unknown server: one line naming the choices, exit 2",
    () => {
      const r = echo(["tools", "nope"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown server "nope"; pick one of .*echo/);
    },
    T,
  );
});

describe("mcpkit call", () => {
  it(
    "runs a tool and prints its text; --json prints the raw result",
    () => {
      const r = echo(["call", "echo", "echo", '{"text":"hello from call"}']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("hello from call\n");
      const j = echo(["call", "echo", "echo", '{"text":"x"}', "--json"]);
      expect(JSON.parse(j.stdout)).toEqual({ content: [{ type: "text", text: "x" }] });
    },
    T,
  );

  it(
    "reads arguments from @file and @- (stdin)",
    () => {
      const file = join(tempDir("call"), "args.json");
      writeFileSync(file, '{"text":"from a file"}');
      expect(echo(["call", "echo", "echo", `@${file}`]).stdout).toBe("from a file\n");
      expect(echo(["call", "echo", "echo", "@-"], '{"text":"from stdin"}').stdout).toBe("from stdin\n");
    },
    T,
  );

  it(
    "a failing tool (isError) exits 1 with one line",
    () => {
      const r = echo(["call", "echo", "echo", '{"text":5}']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^mcpkit: echo failed: .*text/);
    },
    T,
  );

  it(
    "an unknown tool exits 1 with one line",
    () => {
      const r = echo(["call", "echo", "no_such_tool"]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("no_such_tool");
    },
    T,
  );

  it(
    "bad JSON arguments: usage error before anything starts",
    () => {
      const r = echo(["call", "echo", "echo", "{text:"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("not valid JSON");
    },
    T,
  );

  it(
    "works against --url",
    () => {
      const r = echo([
        "call",
        "--url",
        httpUrl,
        "--auth-token",
        "s3cret-token",
        "echo",
        '{"text":"over http"}',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("over http\n");
    },
    T,
  );
});
