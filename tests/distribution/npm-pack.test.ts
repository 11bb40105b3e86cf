import { copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
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

// `npm pack` → install the tarball into an empty folder with --prefer-offline (tarballs come from the npm
// cache this machine filled when it installed the repo; npm may still ask the registry for metadata it
// never cached) → run the installed bin like a user would, with npm in offline mode so the run itself
// provably needs no network and no build step.

const { EXTERNAL } = (await import(join(ROOT, "scripts/build.mjs"))) as { EXTERNAL: string[] };

let app = "";
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
  const installed = await runAsync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball],
    {
      cwd: app,
      env: npmEnv(),
      timeout: 150_000,
    },
  );
  expect(installed.code, installed.stderr).toBe(0);
}, 180_000);

afterAll(cleanupTemps);

describe("npm package", () => {
  it(
    "holds the bundle and its chunks, package.json and README only",
    () => {
      const chunks = files.filter((f) => f.startsWith("dist/chunks/"));
      expect(chunks.length).toBeGreaterThan(0);
      expect(chunks.every((f) => /^dist\/chunks\/[\w-]+\.mjs$/.test(f))).toBe(true);
      expect(files.filter((f) => !chunks.includes(f))).toEqual([
        "README.md",
        "dist/mcpkit.mjs",
        "package.json",
      ]);
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
