// The publishing plan for a release that scripts/release.mjs has built: every file with its size and
// sha256, and the exact commands (with the credentials each needs) that put it on the GitHub release, in
// the Homebrew tap and the Scoop bucket and on npm, then check each channel from a clean machine.
// release.mjs never runs these commands itself: each needs a maintainer's own credentials.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative } from "node:path";

/** Where the channels live. The README and packaging/ templates use the same names. */
export const CHANNELS = {
  npmPackage: "mcpkit",
  githubRepo: "mcpkit/mcpkit",
  tapRepo: "mcpkit/homebrew-tap", // `brew install mcpkit/tap/mcpkit` reads github.com/mcpkit/homebrew-tap
  bucketRepo: "mcpkit/scoop-bucket",
};

export function describeFile(path) {
  const data = readFileSync(path);
  return {
    path,
    bytes: statSync(path).size,
    sha256: createHash("sha256").update(data).digest("hex"),
    sha512: `sha512-${createHash("sha512").update(data).digest("base64")}`,
  };
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/**
 * @param r what release() returned: { version, out, built, outputs, npmTarball, skipped }
 * @param opts { root, baseUrl (with {version} resolved), defaultBaseUrl: boolean, pkg }
 */
export function releasePlan(r, { root, baseUrl, defaultBaseUrl, pkg }) {
  const v = r.version;
  const tag = `v${v}`;
  const show = (p) => {
    const rel = relative(root, p);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
  };
  const out = show(r.out);
  const npm = describeFile(r.npmTarball);
  const archives = r.built.map((b) => ({ ...describeFile(b.path), file: b.file, fake: b.fake }));
  const fakes = archives.filter((a) => a.fake);
  const formula = r.outputs.find((o) => o.endsWith("mcpkit.rb"));
  const manifest = r.outputs.find((o) => o.endsWith("mcpkit.json"));
  const sums = r.outputs.find((o) => o.endsWith("SHA256SUMS"));
  const host = archives.find((a) => !a.fake && /linux-x64/.test(a.file)) ?? archives[0];
  const L = [];
  /** A numbered step: a title naming its credentials, then commands with their comments aligned. */
  const step = (title, lines) => {
    const rows = lines.map((l) => (typeof l === "string" ? [l, ""] : l));
    const width = Math.max(0, ...rows.filter(([c, n]) => n && !c.includes("\n")).map(([c]) => c.length));
    L.push("", title);
    for (const [c, note] of rows) L.push(`  ${note ? `${c.padEnd(width)}  # ${note}` : c}`);
  };

  L.push(`mcpkit ${v}: release plan (dry run: nothing has been published)`);
  if (fakes.length) {
    L.push(
      `FAKE BUILD (--fake): ${fakes.map((a) => a.file).join(", ")} ${fakes.length === 1 ? "is a placeholder" : "are placeholders"}. ` +
        "Do not publish these files; rebuild with `npm run release -- --dry-run`.",
    );
  }
  for (const s of r.skipped)
    L.push(`NOT BUILT: ${s.target} (${s.reason}); its channel entries are missing below.`);
  L.push("", `Files in ${out}/:`);
  for (const f of [{ ...npm, file: show(npm.path).split(/[\\/]/).pop(), note: "npm package" }, ...archives]) {
    L.push(
      `  ${f.file}  ${f.bytes} bytes (${mib(f.bytes)})  sha256 ${f.sha256}${f.note ? `  ${f.note}` : ""}${f.fake ? "  PLACEHOLDER" : ""}`,
    );
  }
  for (const o of r.outputs) L.push(`  ${show(o).split(/[\\/]/).pop()}`);

  const assets = [...archives.map((a) => show(a.path)), show(sums)];
  if (defaultBaseUrl) {
    step(
      `1. GitHub release — needs: gh auth login (or GH_TOKEN) with write access to ${CHANNELS.githubRepo}`,
      [
        [`git tag -a ${tag} -m "mcpkit ${v}" && git push origin ${tag}`, "from the commit that was built"],
        `gh release create ${tag} --repo ${CHANNELS.githubRepo} --verify-tag --title "mcpkit ${v}" --generate-notes \\\n` +
          assets.map((a) => `      ${a}`).join(" \\\n"),
      ],
    );
  } else {
    step(
      `1. Downloads — upload these files so that ${baseUrl}<file> serves each of them`,
      assets.map((a) => [a, `→ ${baseUrl}${a.split(/[\\/]/).pop()}`]),
    );
  }

  if (formula) {
    step(`2. Homebrew tap — needs: push access to github.com/${CHANNELS.tapRepo}`, [
      `git clone https://github.com/${CHANNELS.tapRepo}.git tap && mkdir -p tap/Formula`,
      `cp ${show(formula)} tap/Formula/mcpkit.rb`,
      `git -C tap add Formula/mcpkit.rb && git -C tap commit -m "mcpkit ${v}" && git -C tap push`,
    ]);
  } else {
    step("2. Homebrew tap — skipped: no macOS or Linux archive was built", []);
  }
  if (manifest) {
    step(`3. Scoop bucket — needs: push access to github.com/${CHANNELS.bucketRepo}`, [
      `git clone https://github.com/${CHANNELS.bucketRepo}.git bucket && mkdir -p bucket/bucket`,
      `cp ${show(manifest)} bucket/bucket/mcpkit.json`,
      `git -C bucket add bucket/mcpkit.json && git -C bucket commit -m "mcpkit ${v}" && git -C bucket push`,
    ]);
  } else {
    step("3. Scoop bucket — skipped: bun-windows-x64 was not built", []);
  }

  const repoField = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  step("4. npm — needs: an npm account with publish rights on the name and 2FA, or NPM_TOKEN in CI", [
    ["npm whoami", "who will publish; `npm login` first if this fails"],
    [`npm view ${CHANNELS.npmPackage} name`, "E404 before the first publish; afterwards it must be ours"],
    "# last on purpose: a version number once published on npm can never be published again",
    [`npm publish ${show(npm.path)} --access public`, "add --otp=<code> when 2FA asks"],
    "# from GitHub Actions (permissions: id-token: write) add --provenance to sign where it was built;",
    repoField
      ? `# npm then checks package.json "repository" (${repoField}) against the workflow's repository`
      : '# BLOCKER for --provenance: package.json has no "repository" field, and npm refuses provenance without it',
  ]);

  const hostUrl = `${baseUrl}${host.file}`;
  step("5. Verify each channel from a clean machine (no clone, empty npm cache: `npm cache clean --force`)", [
    [`npm view ${CHANNELS.npmPackage}@${v} dist.integrity`, `must print ${npm.sha512}`],
    [`npx -y ${CHANNELS.npmPackage}@${v} --version`, v],
    [`npx -y -p ${CHANNELS.npmPackage}@${v} pty-mcp --help`, "Usage: mcpkit pty"],
    [`curl -fsSLO ${hostUrl}`, ""],
    [`curl -fsSLO ${baseUrl}SHA256SUMS`, ""],
    ["sha256sum -c SHA256SUMS --ignore-missing", `${host.file}: OK (sha256 ${host.sha256})`],
    host.file.endsWith(".zip")
      ? [`unzip ${host.file} && ./mcpkit.exe --version`, v]
      : [`tar -xzf ${host.file} && ./mcpkit --version`, v],
    ...(formula
      ? [
          ["brew install mcpkit/tap/mcpkit && brew test mcpkit/tap/mcpkit", "runs the formula's test block"],
          ["pty-mcp --help", "Usage: mcpkit pty (the formula links the original names)"],
          ["brew audit --strict --online mcpkit/tap/mcpkit", ""],
        ]
      : []),
    ...(manifest
      ? [
          [`scoop bucket add mcpkit https://github.com/${CHANNELS.bucketRepo}`, ""],
          ["scoop install mcpkit && mcpkit --version && pty-mcp --help", "on Windows"],
        ]
      : []),
    ["mcpkit setup --client claude-desktop --server pty --npx", "its npm registry check now passes"],
  ]);
  return `${L.join("\n")}\n`;
}
