import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interpretView } from "../../lib/cli/setup/npx-check.ts";
import pkg from "../../package.json" with { type: "json" };
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";
import { cleanupTemps, run, runAsync, tempDir } from "./helpers.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

// `setup --npx` asks the user's npm whether the registry has mcpkit@<this version> before it writes an
// entry that runs `npx -y mcpkit@<version>`. Here npm talks to a fake registry on 127.0.0.1 (through
// npm_config_registry, exactly as a user's .npmrc would point it elsewhere) that knows one package.

const MCPKIT = resolve(ROOT, "dist/mcpkit.mjs");
/** node by absolute path (under bun test, process.execPath is bun). */
const NODE = run("node", ["-p", "process.execPath"]).stdout.trim();

/** A registry that serves `packuments` by name, 404s everything else, and can be told to never answer. */
class FakeRegistry {
  readonly requests: string[] = [];
  hang = false;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  constructor(private readonly packuments: Record<string, string[]>) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? "");
      if (this.hang) return; // the socket stays open: npm waits until the check gives up
      const name = decodeURIComponent((req.url ?? "/").slice(1));
      const versions = this.packuments[name];
      if (!versions) return send(res, 404, { error: "Not found" });
      send(res, 200, {
        _id: name,
        name,
        "dist-tags": { latest: versions.at(-1) },
        versions: Object.fromEntries(
          versions.map((v) => [
            v,
            { name, version: v, dist: { tarball: `${this.url}${name}/-/${name}-${v}.tgz`, shasum: "0" } },
          ]),
        ),
        time: Object.fromEntries(versions.map((v) => [v, "2026-01-01T00:00:00.000Z"])),
      });
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.once("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** `mcpkit setup …` with npm pointed at `registry` and a fresh cache (no packument from an earlier run). */
function setup(args: string[], registry: string, extraEnv: Record<string, string> = {}) {
  return runAsync(NODE, [MCPKIT, "setup", ...args], {
    env: baseEnv({
      npm_config_registry: registry,
      npm_config_cache: tempDir("npm-cache"),
      npm_config_update_notifier: "false",
      ...extraEnv,
    }),
    timeout: 60_000,
  });
}

const published = new FakeRegistry({ [pkg.name]: ["0.0.1", pkg.version] });
const olderOnly = new FakeRegistry({ [pkg.name]: ["0.0.1"] });
const empty = new FakeRegistry({});
const hanging = new FakeRegistry({ [pkg.name]: [pkg.version] });
hanging.hang = true;

beforeAll(async () => {
  await Promise.all([published.start(), olderOnly.start(), empty.start(), hanging.start()]);
});

afterAll(async () => {
  await Promise.all([published.close(), olderOnly.close(), empty.close(), hanging.close()]);
  cleanupTemps();
});

/** The refusal is one line on stderr naming the package, the reason and the command that works instead. */
function expectRefusal(r: { code: number | null; stdout: string; stderr: string }, reason: RegExp) {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mcpkit: --npx refused: /);
  expect(lines[0]).toContain(`${pkg.name}@${pkg.version}`);
  expect(lines[0]).toMatch(reason);
  // The working alternative: this very mcpkit by absolute path, plus the server.
  expect(lines[0]).toContain(`${MCPKIT} pty)`);
  expect(lines[0]).toContain("--no-verify");
}

describe("setup --npx checks the npm registry first", () => {
  it(
    "writes `npx -y <name>@<version>` from package.json when the registry has that version",
    async () => {
      const r = await setup(["-c", "gemini", "-s", "pty", "--npx"], published.url);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).mcpServers["mcpkit-pty"]).toEqual({
        command: "npx",
        args: ["-y", `${pkg.name}@${pkg.version}`, "pty"],
      });
      // npm asked our registry for the package named in package.json, not a literal.
      expect(published.requests).toContain(`/${pkg.name}`);
    },
    T,
  );

  it(
    "refuses when the registry answers 404 (never published), and writes no file",
    async () => {
      const file = join(tempDir("npx-404"), "settings.json");
      const r = await setup(
        ["-c", "gemini", "-s", "pty", "--npx", "--write", "--config-path", file],
        empty.url,
      );
      expectRefusal(r, /has no .* \(E404\)/);
      expect(existsSync(file)).toBe(false);
      expect(empty.requests).toContain(`/${pkg.name}`);
    },
    T,
  );

  it(
    "refuses when the package exists but not this version",
    async () => {
      expectRefusal(await setup(["-c", "cursor", "-s", "pty", "--npx"], olderOnly.url), /has no/);
    },
    T,
  );

  it(
    "refuses, saying the check could not be made, when the registry is unreachable",
    async () => {
      const r = await setup(
        ["-c", "gemini", "-s", "pty", "--npx"],
        `http://127.0.0.1:${await closedPort()}/`,
      );
      expectRefusal(r, /could not check .*refused the connection \(ECONNREFUSED\)/);
    },
    T,
  );

  it(
    "gives up after 5 s when the registry never answers",
    async () => {
      const r = await setup(["-c", "gemini", "-s", "pty", "--npx"], hanging.url);
      expectRefusal(r, /could not check .*npm did not answer within 5 s/);
      expect(hanging.requests.length).toBeGreaterThan(0);
    },
    T,
  );

  it(
    "refuses when npm is offline with nothing cached",
    async () => {
      const r = await setup(["-c", "gemini", "-s", "pty", "--npx"], published.url, {
        npm_config_offline: "true",
      });
      expectRefusal(r, /could not check .*offline .*\(ENOTCACHED\)/);
    },
    T,
  );

  it(
    "refuses when npm is not on PATH",
    async () => {
      // PATH holds node only, so mcpkit runs but `npm` cannot be found.
      const bin = tempDir("no-npm");
      mkdirSync(join(bin, "bin"));
      symlinkSync(NODE, join(bin, "bin", "node"));
      const r = await setup(["-c", "gemini", "-s", "pty", "--npx"], published.url, {
        PATH: join(bin, "bin"),
      });
      expect(r.stderr).toContain("npm was not found on PATH");
      expect(r.code).toBe(1);
    },
    T,
  );

  it(
    "--no-verify writes the entry without asking the registry",
    async () => {
      const before = empty.requests.length;
      const file = join(tempDir("npx-no-verify"), "settings.json");
      const r = await setup(
        ["-c", "gemini", "-s", "pty", "--npx", "--no-verify", "--write", "--config-path", file],
        empty.url,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(file)).toBe(true);
      expect(empty.requests.length).toBe(before);
    },
    T,
  );

  it(
    "the gateway's own `setup --npx` (PMCP's flags) goes through the same check",
    async () => {
      const r = await runAsync(NODE, [MCPKIT, "gateway", "setup", "--npx"], {
        env: baseEnv({ npm_config_registry: empty.url, npm_config_cache: tempDir("npm-cache") }),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--npx refused: .*\(E404\)/);
      const ok = await runAsync(NODE, [MCPKIT, "gateway", "setup", "--npx", "--no-verify"], {
        env: baseEnv({ npm_config_registry: empty.url, npm_config_cache: tempDir("npm-cache") }),
      });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`npx -y ${pkg.name}@${pkg.version} gateway`);
    },
    T,
  );

  it("reads npm's --json answers without echoing npm's text (it may hold a registry URL)", () => {
    expect(interpretView(0, '"1.2.3"\n', "1.2.3")).toEqual({ kind: "published" });
    expect(interpretView(0, '["1.2.3"]', "1.2.3")).toEqual({ kind: "published" });
    expect(interpretView(0, "", "1.2.3")).toEqual({ kind: "missing", code: "no such version" });
    const leaky = JSON.stringify({
      error: { code: "E401", summary: "GET https://user:s3cret@registry.example/mcpkit failed" },
    });
    const answer = interpretView(1, leaky, "1.2.3");
    expect(answer).toEqual({ kind: "unknown", reason: "npm view failed (E401)" });
    expect(interpretView(1, "not json", "1.2.3")).toMatchObject({ kind: "unknown" });
  });
});
