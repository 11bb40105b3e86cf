import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import pkg from "../../package.json" with { type: "json" };
import { ROOT } from "../helpers/mcpkit.ts";
import {
  cleanupTemps,
  hasProgram,
  listToolNames,
  run,
  runAsync,
  startSmokeServer,
  tempDir,
} from "./helpers.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

// A --fake release: the host target is compiled for real, the other targets are placeholders, so the
// sums, the formula and the manifest are all exercised in one binary build.

const { ALIASES, hostTarget, TARGETS } = (await import(join(ROOT, "scripts/release.mjs"))) as {
  ALIASES: Record<string, string>;
  hostTarget(): string;
  TARGETS: string[];
};
const { releasePlan } = (await import(join(ROOT, "scripts/release-plan.mjs"))) as {
  releasePlan(r: unknown, opts: unknown): string;
};

const BASE = "https://downloads.example.test/mcpkit/v{version}/";
let out = "";
let log = "";
let stdout = "";

beforeAll(async () => {
  out = tempDir("release");
  const r = await runAsync(
    "node",
    [resolve(ROOT, "scripts/release.mjs"), "--fake", "--dry-run", "--out", out, "--base-url", BASE],
    {
      cwd: ROOT,
      timeout: 170_000,
    },
  );
  log = r.stdout + r.stderr;
  stdout = r.stdout;
  expect(r.code, log).toBe(0);
}, 180_000);

afterAll(cleanupTemps);

const version = pkg.version;
const archiveOf = (key: string) => `mcpkit-${version}-${key}.${key.startsWith("windows") ? "zip" : "tar.gz"}`;

function sums(): Map<string, string> {
  const text = readFileSync(join(out, "SHA256SUMS"), "utf8");
  return new Map(
    text
      .trim()
      .split("\n")
      .map((l) => {
        const [h, f] = l.split(/\s+/);
        return [f!, h!];
      }),
  );
}

describe("release --fake", () => {
  it(
    "SHA256SUMS lists every archive with its real sha256 (and sha256sum -c agrees)",
    () => {
      const listed = sums();
      expect([...listed.keys()].sort()).toEqual(
        TARGETS.map((t: string) => archiveOf(t.replace("bun-", ""))).sort(),
      );
      for (const [file, hash] of listed) {
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(
          createHash("sha256")
            .update(readFileSync(join(out, file)))
            .digest("hex"),
        ).toBe(hash);
      }
      if (hasProgram("sha256sum")) expect(run("sha256sum", ["-c", "SHA256SUMS"], { cwd: out }).code).toBe(0);
    },
    T,
  );

  it(
    "the alias list it installs matches the command table",
    () => {
      expect(ALIASES).toEqual(
        Object.fromEntries(SERVER_COMMANDS.flatMap((c) => c.aliases.map((a) => [a, c.name]))),
      );
    },
    T,
  );

  it(
    `the Homebrew formula is valid Ruby (${hasProgram("ruby") ? "ruby -c" : "structural check, no ruby here"}) with a url+sha256 per platform`,
    () => {
      const file = join(out, "mcpkit.rb");
      const rb = readFileSync(file, "utf8");
      if (hasProgram("ruby")) expect(run("ruby", ["-c", file]).stdout).toContain("Syntax OK");
      // Structural check: balanced do/end, one class, the fields Homebrew requires.
      const opens = rb.match(/\bdo\b(\s*\|[^|]*\|)?\s*$|^\s*(class|def)\b/gm)?.length ?? 0;
      const ends = rb.match(/^\s*end\s*$/gm)?.length ?? 0;
      expect(opens).toBe(ends);
      expect(rb).toMatch(/^class Mcpkit < Formula$/m);
      for (const field of ["desc", "homepage", "version", "license"])
        expect(rb).toMatch(new RegExp(`^  ${field} "[^"]+"$`, "m"));
      expect(rb).toContain(`version "${version}"`);
      const listed = sums();
      for (const [os, arch, block] of [
        ["darwin", "arm64", "on_arm"],
        ["darwin", "x64", "on_intel"],
        ["linux", "arm64", "on_arm"],
        ["linux", "x64", "on_intel"],
      ] as const) {
        const file = archiveOf(`${os}-${arch}`);
        const url = `${BASE.replace("{version}", version)}${file}`;
        const section = rb.slice(rb.indexOf(os === "darwin" ? "on_macos do" : "on_linux do"));
        expect(section).toMatch(
          new RegExp(
            `${block} do\\n\\s+url "${url.replace(/[.?]/g, "\\$&")}"\\n\\s+sha256 "${listed.get(file)}"`,
          ),
        );
      }
      expect(rb).toContain('bin.install "mcpkit"');
      expect(rb).not.toContain("{{");
    },
    T,
  );

  it(
    "the Scoop manifest has the schema's essentials and the right url/hash",
    () => {
      const m = JSON.parse(readFileSync(join(out, "mcpkit.json"), "utf8"));
      // Required by ScoopInstaller/Scoop schema.json: version, homepage, license.
      expect(m.version).toBe(version);
      expect(typeof m.homepage).toBe("string");
      expect(typeof m.license).toBe("string");
      const file = archiveOf("windows-x64");
      const arch = m.architecture["64bit"];
      expect(arch.url).toBe(`${BASE.replace("{version}", version)}${file}`);
      expect(arch.hash).toBe(sums().get(file));
      expect(arch.hash).toMatch(/^[0-9a-f]{64}$/);
      // bin: a string or an array of strings / [exe, alias, args] triples.
      expect(m.bin[0]).toBe("mcpkit.exe");
      for (const entry of m.bin.slice(1)) {
        expect(entry).toHaveLength(3);
        expect(ALIASES[entry[1]]).toBe(entry[2]);
      }
      expect(m.autoupdate.architecture["64bit"].url).toContain("$version");
      expect(m.autoupdate.architecture["64bit"].url).not.toContain(version);
      expect(Object.keys(m).every((k) => /^[a-z_#$]/.test(k))).toBe(true);
    },
    T,
  );

  it(
    "only the host target is a real build; the others say they are placeholders",
    () => {
      expect(log).toContain(`${hostTarget()} built`);
      // The Windows zip is a real zip (checked with python's zipfile when present) holding mcpkit.exe.
      const zip = join(out, archiveOf("windows-x64"));
      const py = run("python3", [
        "-c",
        "import zipfile,sys;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(z.namelist());print(z.read('mcpkit.exe').decode())",
        zip,
      ]);
      if (py.code === 0) {
        expect(py.stdout).toContain("['mcpkit.exe']");
        expect(py.stdout).toContain("placeholder for bun-windows-x64");
      } else {
        expect(readFileSync(zip).subarray(0, 4).toString("hex")).toBe("504b0304");
      }
    },
    T,
  );
});

describe("host binary from the release archive, in a folder with no node_modules", () => {
  let bin = "";
  beforeAll(() => {
    const dir = tempDir("binary");
    const key = hostTarget().replace("bun-", "");
    const x = run("tar", ["-xzf", join(out, archiveOf(key)), "-C", dir]);
    expect(x.code).toBe(0);
    expect(readdirSync(dir)).toEqual(["mcpkit"]);
    bin = join(dir, "mcpkit");
  }, T);

  it(
    "--version and --help",
    () => {
      const v = run(bin, ["--version"], { cwd: resolve(bin, "..") });
      expect(v.stdout.trim()).toBe(version);
      const h = run(bin, ["--help"], { cwd: resolve(bin, "..") });
      expect(h.code).toBe(0);
      for (const c of SERVER_COMMANDS) expect(h.stdout).toContain(c.name);
    },
    T,
  );

  it(
    "link-aliases points links at the binary and they select their server",
    () => {
      const dir = tempDir("binary-links");
      const copy = join(dir, "mcpkit");
      copyFileSync(bin, copy);
      chmodSync(copy, 0o755);
      const r = run(copy, ["link-aliases"], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const help = run(join(dir, "pty-mcp"), ["--help"], { cwd: dir });
      expect(help.stdout).toContain("Usage: mcpkit pty");
    },
    T,
  );

  it(
    "serves initialize + tools/list",
    async () => {
      const smoke = await startSmokeServer();
      try {
        expect(
          (await listToolNames(bin, [smoke.name], { env: smoke.env, cwd: resolve(bin, "..") })).length,
        ).toBeGreaterThan(0);
      } finally {
        await smoke.stop();
      }
    },
    T,
  );
});

describe("release --dry-run: the publishing plan", () => {
  const npmTgz = `${pkg.name}-${version}.tgz`;
  const plan = () => stdout.slice(stdout.indexOf(`mcpkit ${version}: release plan`));
  const hashOf = (algo: string, file: string, enc: "hex" | "base64" = "hex") =>
    createHash(algo)
      .update(readFileSync(join(out, file)))
      .digest(enc);

  it(
    "lists every file it built with its real size in bytes and sha256, placeholders marked",
    () => {
      expect(plan()).toMatch(/^mcpkit \S+: release plan \(dry run: nothing has been published\)$/m);
      const rows = [
        ...plan().matchAll(/^ {2}(\S+) {2}(\d+) bytes \([\d.]+ MiB\) {2}sha256 ([0-9a-f]{64})(.*)$/gm),
      ];
      const listed = new Map(rows.map((m) => [m[1]!, { bytes: Number(m[2]), sha256: m[3]!, rest: m[4]! }]));
      const expected = [npmTgz, ...TARGETS.map((t) => archiveOf(t.replace("bun-", "")))];
      expect([...listed.keys()].sort()).toEqual(expected.sort());
      for (const [file, row] of listed) {
        expect(row.bytes, file).toBe(statSync(join(out, file)).size);
        expect(row.sha256, file).toBe(hashOf("sha256", file));
        const placeholder = file !== npmTgz && !file.includes(hostTarget().replace("bun-", ""));
        expect(row.rest.includes("PLACEHOLDER"), file).toBe(placeholder);
      }
      expect(plan()).toMatch(/^FAKE BUILD \(--fake\): .*Do not publish these files/m);
      // The same plan is kept next to the files.
      expect(readFileSync(join(out, "RELEASE-PLAN.txt"), "utf8")).toBe(plan());
    },
    T,
  );

  it(
    "the npm tarball is the package npm would publish: bundle, bins, package.json at this version",
    () => {
      const list = run("tar", ["-tzf", join(out, npmTgz)]).stdout.split("\n");
      for (const f of ["package/package.json", "package/dist/mcpkit.mjs", "package/README.md"])
        expect(list).toContain(f);
      for (const alias of Object.keys(ALIASES))
        expect(list).toContain(`package/packaging/npm-bin/${alias}.mjs`);
      const inner = JSON.parse(run("tar", ["-xzOf", join(out, npmTgz), "package/package.json"]).stdout);
      expect(inner.version).toBe(version);
      expect(inner.bin["pty-mcp"]).toBe("packaging/npm-bin/pty-mcp.mjs");
    },
    T,
  );

  it(
    "gives the exact commands for npm, the downloads, the tap and the bucket, with their credentials",
    () => {
      const p = plan();
      expect(p).toMatch(/^4\. npm — needs: .*2FA.*NPM_TOKEN/m);
      expect(p).toContain(`npm publish ${join(out, npmTgz)} --access public`);
      expect(p).toMatch(/--provenance/);
      // A --base-url other than the GitHub release: each asset and the URL it must be served from.
      const base = BASE.replace("{version}", version);
      for (const file of [...TARGETS.map((t) => archiveOf(t.replace("bun-", ""))), "SHA256SUMS"])
        expect(p).toContain(`${join(out, file)}`);
      expect(p).toContain(`→ ${base}SHA256SUMS`);
      expect(p).toMatch(/^2\. Homebrew tap — needs: push access to github\.com\/mcpkit\/homebrew-tap$/m);
      expect(p).toContain(`cp ${join(out, "mcpkit.rb")} tap/Formula/mcpkit.rb`);
      expect(p).toMatch(/^3\. Scoop bucket — needs: push access to github\.com\/mcpkit\/scoop-bucket$/m);
      expect(p).toContain(`cp ${join(out, "mcpkit.json")} bucket/bucket/mcpkit.json`);
    },
    T,
  );

  it(
    "verification from a clean machine checks what was built: npm integrity, the archive's sha256, each channel",
    () => {
      const p = plan().slice(plan().indexOf("5. Verify"));
      const integrity = `sha512-${hashOf("sha512", npmTgz, "base64")}`;
      expect(p).toMatch(
        new RegExp(
          `npm view ${pkg.name}@${version} dist.integrity +# must print ${integrity.replace(/[+/=]/g, "\\$&")}`,
        ),
      );
      const hostFile = archiveOf(hostTarget().replace("bun-", ""));
      expect(p).toContain(`curl -fsSLO ${BASE.replace("{version}", version)}${hostFile}`);
      expect(p).toContain(`${hostFile}: OK (sha256 ${hashOf("sha256", hostFile)})`);
      expect(p).toContain(`npx -y -p ${pkg.name}@${version} pty-mcp --help`);
      expect(p).toContain("brew install mcpkit/tap/mcpkit");
      expect(p).toContain("scoop install mcpkit");
      expect(p).toContain("setup --client claude-desktop --server pty --npx");
    },
    T,
  );

  it(
    "with the default base URL, step 2 is a GitHub release carrying every archive and SHA256SUMS",
    () => {
      const archives = TARGETS.map((t) => {
        const key = t.replace("bun-", "");
        return { path: join(out, archiveOf(key)), file: archiveOf(key), fake: false };
      });
      const text = releasePlan(
        {
          version,
          out,
          built: archives,
          skipped: [],
          npmTarball: join(out, npmTgz),
          outputs: ["SHA256SUMS", "mcpkit.rb", "mcpkit.json"].map((f) => join(out, f)),
        },
        {
          root: ROOT,
          baseUrl: `https://github.com/mcpkit/mcpkit/releases/download/v${version}/`,
          defaultBaseUrl: true,
          pkg,
        },
      );
      const gh = text.slice(text.indexOf("gh release create"), text.indexOf("\n\n2."));
      expect(gh).toMatch(
        new RegExp(`^gh release create v${version.replace(/\./g, "\\.")} --repo mcpkit/mcpkit --verify-tag`),
      );
      for (const a of archives) expect(gh).toContain(a.path);
      expect(gh).toContain(join(out, "SHA256SUMS"));
      expect(gh).not.toContain(npmTgz);
      expect(text).toContain(`git tag -a v${version}`);
    },
    T,
  );
});
