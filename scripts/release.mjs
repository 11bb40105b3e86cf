#!/usr/bin/env node
// Builds the release: the npm tarball, one executable per Bun target, archives, SHA256SUMS, a Homebrew
// formula and a Scoop manifest rendered from packaging/*.tmpl, and RELEASE-PLAN.txt: the commands that
// publish them (scripts/release-plan.mjs). It never publishes anything itself; docs/releasing.md explains.
// Usage: node scripts/release.mjs [--version X] [--targets bun-linux-x64,…] [--base-url URL] [--out DIR]
//                                 [--fake] [--dry-run]
//   --base-url may contain {version}; default https://github.com/mcpkit/mcpkit/releases/download/v{version}/
//   --fake builds only the host target for real and writes clearly marked placeholder archives for the
//   others, so the whole pipeline (sums, formula, manifest) can be checked in seconds.
//   --dry-run prints the publishing plan (files, sizes, sha256, exact commands) after the build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { deflateRawSync } from "node:zlib";
import { buildBundle } from "./build.mjs";
import { compileBinary } from "./build-binary.mjs";
import { releasePlan } from "./release-plan.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const TARGETS = [
  "bun-linux-x64",
  "bun-linux-arm64",
  "bun-darwin-x64",
  "bun-darwin-arm64",
  "bun-windows-x64",
];
/** The originals' names (lib/servers/<name>/command.ts aliases); a test keeps this list in step. */
export const ALIASES = {
  pmcp: "gateway",
  "ptc-mcp": "ptc",
  "pty-mcp": "pty",
  "ptm-mcp": "ptm",
  "trueppm-mcp": "trueppm",
};
export const DEFAULT_BASE_URL = "https://github.com/mcpkit/mcpkit/releases/download/v{version}/";
const DESCRIPTION = "Five MCP servers in one binary: gateway, ptc, pty, ptm, trueppm";
const HOMEPAGE = "https://github.com/mcpkit/mcpkit";

export function hostTarget() {
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `bun-${os}-${process.arch}`;
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** `bun-darwin-arm64` → { key: "darwin-arm64", os: "darwin", windows: false } */
function describeTarget(target) {
  const key = target.replace(/^bun-/, "");
  const os = key.split("-")[0];
  return { key, os, windows: os === "windows" };
}

/** Tiny template language: {{name}}, {{a.b}}, and {{#section}}…{{/section}} kept only when `section` exists. */
export function render(template, vars) {
  const lookup = (path, scope) => path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), scope);
  const withSections = template.replace(/^\{\{#(\S+?)\}\}\n([\s\S]*?)^\{\{\/\1\}\}\n/gm, (_m, name, body) => {
    const scope = lookup(name, vars);
    return scope ? render(body, { ...vars, ...scope }) : "";
  });
  return withSections.replace(/\{\{([^#/}][^}]*)\}\}/g, (_m, path) => {
    const v = lookup(path.trim(), vars);
    if (v === undefined) throw new Error(`template variable ${path} has no value`);
    return String(v);
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip holding one file (deflated, dated 1980-01-01 so the bytes depend only on the content). */
export function zipOne(name, data) {
  const body = deflateRawSync(data, { level: 9 });
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(0, 10); // time
  local.writeUInt16LE(33, 12); // date: 1980-01-01
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // made by
  central.writeUInt16LE(20, 6); // needed
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(33, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  // extra, comment, disk, internal and external attributes, local header offset: all 0
  const cdOffset = local.length + fileName.length + body.length;
  const cdSize = central.length + fileName.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, fileName, body, central, fileName, end]);
}

/** Builds one target into `<out>/build/<target>/`, then packs it as the file users download. */
function buildTarget(target, { out, version, fake }) {
  const t = describeTarget(target);
  const dir = join(out, "build", target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, t.windows ? "mcpkit.exe" : "mcpkit");
  if (fake && target !== hostTarget()) {
    writeFileSync(exe, `placeholder for ${target}: made by release.mjs --fake, not a real build\n`);
    chmodSync(exe, 0o755);
  } else {
    compileBinary({ target, outfile: exe });
  }
  // Windows: a zip holding mcpkit.exe (what Scoop extracts); others: a tar.gz holding `mcpkit`.
  const file = `mcpkit-${version}-${t.key}.${t.windows ? "zip" : "tar.gz"}`;
  const archive = join(out, file);
  if (t.windows) writeFileSync(archive, zipOne("mcpkit.exe", readFileSync(exe)));
  else {
    const r = spawnSync("tar", ["-czf", archive, "-C", dir, "mcpkit"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error(`tar failed for ${target}`);
  }
  return {
    target,
    ...t,
    file,
    path: archive,
    sha256: sha256(archive),
    fake: fake && target !== hostTarget(),
  };
}

export async function release({
  version,
  targets = TARGETS,
  baseUrl = DEFAULT_BASE_URL,
  out = "dist/release",
  fake = false,
}) {
  process.chdir(ROOT);
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  version ??= pkg.version;
  if (version !== pkg.version && !fake) {
    throw new Error(
      `--version ${version} differs from package.json (${pkg.version}); bump package.json first`,
    );
  }
  for (const t of targets)
    if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; choose from ${TARGETS.join(", ")}`);
  out = resolve(out);
  mkdirSync(out, { recursive: true });
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  const urlFor = (file) => base.replaceAll("{version}", version) + file;

  const built = [];
  const skipped = [];
  // Progress on a terminal only: each cross-compile takes a while; piped output stays one line per target.
  const progress = (msg) => {
    if (msg && process.stderr.isTTY) process.stderr.write(`${msg}\n`);
  };
  for (const [i, target] of targets.entries()) {
    progress(`release: [${i + 1}/${targets.length}] building ${target}…`);
    try {
      const one = buildTarget(target, { out, version, fake });
      progress("");
      built.push(one);
      process.stdout.write(`release: ${target} ${built.at(-1).fake ? "(placeholder)" : "built"}\n`);
    } catch (err) {
      progress("");
      skipped.push({ target, reason: err instanceof Error ? err.message : String(err) });
      process.stdout.write(`release: skipped ${target}: ${skipped.at(-1).reason}\n`);
    }
  }
  if (!built.length) throw new Error("no target could be built");

  const npmTarball = await packNpm({ out, fake, pkg });
  const sums = built.map((b) => `${b.sha256}  ${b.file}\n`).join("");
  writeFileSync(join(out, "SHA256SUMS"), sums);

  const vars = {
    version,
    description: DESCRIPTION,
    homepage: HOMEPAGE,
    license: pkg.license ?? "MIT",
    aliases: Object.keys(ALIASES).join(" "),
    scoopBin: JSON.stringify([
      "mcpkit.exe",
      ...Object.entries(ALIASES).map(([a, s]) => ["mcpkit.exe", a, s]),
    ]),
  };
  for (const b of built) {
    vars[b.key] = {
      url: urlFor(b.file),
      sha256: b.sha256,
      file: b.file,
      autoupdateUrl: base.replaceAll("{version}", "$version") + b.file.replace(version, "$version"),
    };
  }
  const outputs = [join(out, "SHA256SUMS")];
  if (built.some((b) => b.os !== "windows")) {
    const formula = render(readFileSync("packaging/homebrew/mcpkit.rb.tmpl", "utf8"), vars);
    writeFileSync(join(out, "mcpkit.rb"), formula);
    outputs.push(join(out, "mcpkit.rb"));
  }
  if (vars["windows-x64"]) {
    const manifest = JSON.parse(render(readFileSync("packaging/scoop/mcpkit.json.tmpl", "utf8"), vars));
    writeFileSync(join(out, "mcpkit.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    outputs.push(join(out, "mcpkit.json"));
  } else {
    process.stdout.write("release: no Scoop manifest (bun-windows-x64 was not built)\n");
  }
  const result = { version, out, built, skipped, outputs, npmTarball };
  const plan = releasePlan(result, {
    root: ROOT,
    baseUrl: base.replaceAll("{version}", version),
    defaultBaseUrl: base === DEFAULT_BASE_URL,
    pkg,
  });
  writeFileSync(join(out, "RELEASE-PLAN.txt"), plan);
  return { ...result, plan };
}

/**
 * The npm tarball, packed from a clean bundle build (`npm publish <tgz>` then uploads exactly these bytes).
 * --fake reuses the current bundle: a clean build would delete chunks that running processes still load.
 */
async function packNpm({ out, fake, pkg }) {
  if (!fake || !existsSync("dist/mcpkit.mjs")) await buildBundle({ clean: !fake });
  const r = spawnSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], {
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false" },
    shell: process.platform === "win32",
  });
  if (r.status !== 0)
    throw new Error(`npm pack failed (exit ${r.status}): ${r.stderr.trim().split("\n").at(-1)}`);
  const file = JSON.parse(r.stdout)[0]?.filename;
  if (file !== `${pkg.name}-${pkg.version}.tgz`)
    throw new Error(`npm pack wrote ${file}, not ${pkg.name}-${pkg.version}.tgz`);
  return join(out, file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      version: { type: "string" },
      targets: { type: "string" },
      "base-url": { type: "string" },
      out: { type: "string" },
      fake: { type: "boolean" },
      "dry-run": { type: "boolean" },
    },
  });
  const fake = Boolean(values.fake);
  try {
    const r = await release({
      version: values.version,
      targets: values.targets ? values.targets.split(",").map((s) => s.trim()) : TARGETS,
      baseUrl: values["base-url"],
      out: values.out,
      fake,
    });
    for (const b of r.built) {
      const size = (statSync(b.path).size / 1048576).toFixed(1);
      process.stdout.write(
        `  ${b.file}  ${size} MiB  sha256 ${b.sha256.slice(0, 16)}…${b.fake ? "  (placeholder)" : ""}\n`,
      );
    }
    for (const o of r.outputs) process.stdout.write(`  ${o}\n`);
    if (r.skipped.length) process.stdout.write(`release: ${r.skipped.length} target(s) skipped, see above\n`);
    if (values["dry-run"]) process.stdout.write(`\n${r.plan}`);
    else
      process.stdout.write(
        `release: nothing was published; the steps are in ${join(r.out, "RELEASE-PLAN.txt")} ` +
          "(printed by --dry-run; see docs/releasing.md)\n",
      );
  } catch (err) {
    process.stderr.write(`release: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
