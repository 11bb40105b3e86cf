import { copyFileSync, cpSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import pkg from "../../package.json" with { type: "json" };
import { startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";
import {
  cleanupTemps,
  listToolNames,
  run,
  runAsync,
  type SmokeServer,
  startSmokeServer,
  tempDir,
} from "./helpers.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

// `npm pack` → install the tarball into an empty folder, and globally into an empty prefix, with
// --prefer-offline (tarballs come from the npm cache this machine filled when it installed the repo; npm
// may still ask the registry for metadata it never cached) → run the installed bins like a user would, with
// npm in offline mode so the runs provably need no network and no build step.

const { EXTERNAL } = (await import(join(ROOT, "scripts/build.mjs"))) as { EXTERNAL: string[] };
const ALIASES = SERVER_COMMANDS.flatMap((c) => c.aliases.map((a) => [a, c.name] as const));

let app = "";
let prefix = "";
let tarball = "";
let files: string[] = [];
const npmEnv = (extra: Record<string, string> = {}) =>
  baseEnv({ npm_config_update_notifier: "false", npm_config_fund: "false", ...extra });

beforeAll(async () => {
  const out = tempDir("pack");
  // --ignore-scripts: the test setup already built dist/mcpkit.mjs; `prepare` would rebuild it under
  // other test files' feet.
  const packed = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], {
    cwd: ROOT,
    env: npmEnv(),
  });
  expect(packed.code, packed.stderr).toBe(0);
  const info = JSON.parse(packed.stdout)[0];
  tarball = join(out, info.filename);
  files = info.files.map((f: { path: string }) => f.path).sort();
  app = tempDir("pack-app");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-app", private: true }));
  prefix = tempDir("pack-prefix");
  // The two installs share npm's cache and mostly wait on the disk: run them side by side.
  const [installed, global] = await Promise.all([
    runAsync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], {
      cwd: app,
      env: npmEnv(),
      timeout: 150_000,
    }),
    // A user's `npm install -g ./mcpkit-<version>.tgz`, into a prefix of its own.
    runAsync(
      "npm",
      ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball],
      {
        cwd: tempDir("pack-cwd"),
        env: npmEnv(),
        timeout: 150_000,
      },
    ),
  ]);
  expect(installed.code, installed.stderr).toBe(0);
  expect(global.code, global.stderr).toBe(0);
}, 180_000);

afterAll(cleanupTemps);

describe("npm package", () => {
  it(
    "holds the bundle and its chunks, one tiny bin per original name, package.json and README only",
    () => {
      const chunks = files.filter((f) => f.startsWith("dist/chunks/"));
      expect(chunks.length).toBeGreaterThan(0);
      expect(
        chunks.every((f) => /^dist\/chunks\/[\w-]+\.mjs$/.test(f) || /ajv-validator-\w+\.cjs$/.test(f)),
      ).toBe(true);
      // The SDK's JSON Schema validators, loaded on first use (scripts/build.mjs).
      for (const pkg of ["server", "client"])
        expect(chunks).toContain(`dist/chunks/ajv-validator-${pkg}.cjs`);
      expect(files.filter((f) => !chunks.includes(f))).toEqual(
        [
          "README.md",
          "dist/mcpkit.mjs",
          "package.json",
          ...ALIASES.map(([alias]) => `packaging/npm-bin/${alias}.mjs`),
        ].sort(),
      );
    },
    T,
  );

  it(
    "the bundle runs with only its external packages next to it (the rest is bundled)",
    async () => {
      // Proof for which dependencies must stay runtime dependencies: give the bundle a node_modules that
      // holds only the externals (and their own packages) and run a real server from it.
      const dir = tempDir("externals-only");
      mkdirSync(join(dir, "dist"));
      mkdirSync(join(dir, "node_modules"));
      copyFileSync(resolve(ROOT, "dist/mcpkit.mjs"), join(dir, "dist/mcpkit.mjs"));
      cpSync(resolve(ROOT, "dist/chunks"), join(dir, "dist/chunks"), { recursive: true });
      const keep = ["@lydell", "@jitl", "quickjs-emscripten", "quickjs-emscripten-core"];
      for (const name of keep)
        symlinkSync(resolve(ROOT, "node_modules", name), join(dir, "node_modules", name));
      for (const e of EXTERNAL.filter((x) => !x.startsWith("bun"))) {
        expect(keep.some((k) => e === k || e.startsWith(`${k}/`))).toBe(true);
      }
      for (const dep of ["@lydell/node-pty", "quickjs-emscripten"])
        expect(Object.keys(pkg.dependencies)).toContain(dep);
      const bundle = join(dir, "dist/mcpkit.mjs");
      expect(run("node", [bundle, "--version"], { cwd: dir }).stdout.trim()).toBe(pkg.version);
      const smoke: SmokeServer = await startSmokeServer();
      try {
        expect(
          (await listToolNames("node", [bundle, smoke.name], { env: smoke.env, cwd: dir })).length,
        ).toBeGreaterThan(0);
      } finally {
        await smoke.stop();
      }
    },
    T,
  );

  it(
    "npx mcpkit --version and pty --help work from the install",
    () => {
      const v = run("npx", ["--no", "--", "mcpkit", "--version"], {
        cwd: app,
        env: npmEnv({ npm_config_offline: "true" }),
      });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout.trim()).toBe(pkg.version);
      const help = run("npx", ["--no", "--", "mcpkit", "pty", "--help"], {
        cwd: app,
        env: npmEnv({ npm_config_offline: "true" }),
      });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("Usage: mcpkit pty");
    },
    T,
  );

  it(
    "the installed bin serves initialize + tools/list over stdio",
    async () => {
      const smoke: SmokeServer = await startSmokeServer();
      try {
        const names = await listToolNames(join(app, "node_modules/.bin/mcpkit"), [smoke.name], {
          env: smoke.env,
          cwd: app,
        });
        expect(names.length).toBeGreaterThan(0);
      } finally {
        await smoke.stop();
      }
    },
    T,
  );
});

describe("global install from the tarball (npm install -g --prefix <empty> ./mcpkit-<version>.tgz)", () => {
  const offline = (extra: Record<string, string> = {}) => npmEnv({ npm_config_offline: "true", ...extra });

  it(
    "puts mcpkit and every original command name in <prefix>/bin",
    () => {
      for (const name of ["mcpkit", ...ALIASES.map(([alias]) => alias)]) {
        expect(lstatSync(join(prefix, "bin", name)).isSymbolicLink(), name).toBe(true);
      }
    },
    T,
  );

  for (const [alias, server] of ALIASES) {
    it(
      `${alias} --version and --help answer as mcpkit ${server}`,
      () => {
        const bin = join(prefix, "bin", alias);
        const v = run(bin, ["--version"], { cwd: prefix, env: offline() });
        expect(v.code, v.stderr).toBe(0);
        expect(v.stdout.trim()).toBe(pkg.version);
        const help = run(bin, ["--help"], { cwd: prefix, env: offline() });
        expect(help.code, help.stderr).toBe(0);
        expect(help.stdout).toContain(`Usage: mcpkit ${server}`);
      },
      T,
    );
  }

  it(
    "each original command name serves its own server: initialize + tools/list equal `mcpkit <alias>`'s (same server, same alias defaults)",
    async () => {
      // ptm and trueppm need a backend: their fake REST servers on 127.0.0.1.
      const ptm = await startFakePtm();
      const trueppm = new FakeTrueppm();
      const token = `tppm_${"cd".repeat(32)}`;
      trueppm.addToken(token);
      await trueppm.start();
      const envFor: Record<string, Record<string, string>> = {
        ptm: {
          PTM_API_BASE_URL: ptm.url,
          PTM_API_TOKEN: ptm.token,
          PTM_MCP_PREFLIGHT_BACKOFF_MS: "10,20",
          PTM_CF_AUTO_DISCOVER: "false",
        },
        trueppm: { TRUEPPM_API_URL: trueppm.origin, TRUEPPM_API_TOKEN: token },
      };
      try {
        for (const [alias, server] of ALIASES) {
          const cwd = tempDir(`run-${alias}`);
          const env = { ...(envFor[server] ?? {}), npm_config_offline: "true" };
          const viaAlias = await listToolNames(join(prefix, "bin", alias), [], { env, cwd });
          const viaMcpkit = await listToolNames(join(prefix, "bin", "mcpkit"), [alias], { env, cwd });
          const viaServer = await listToolNames(join(prefix, "bin", "mcpkit"), [server], { env, cwd });
          // Only pmcp changes tool names (PMCP's dotted gateway.<verb>); the tools are the same.
          expect(
            viaAlias.map((n) => n.replace("gateway.", "gateway_")),
            alias,
          ).toEqual(viaServer);
          expect(viaAlias.length, alias).toBeGreaterThan(0);
          expect(viaAlias, alias).toEqual(viaMcpkit);
        }
      } finally {
        await ptm.close();
        await trueppm.close();
      }
    },
    T,
  );

  it(
    "npx finds the original names too (npx -p mcpkit pty-mcp, here from the local install, offline)",
    () => {
      const help = run("npx", ["--no", "-p", "mcpkit", "--", "pty-mcp", "--help"], {
        cwd: app,
        env: offline(),
      });
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toContain("Usage: mcpkit pty");
    },
    T,
  );
});
