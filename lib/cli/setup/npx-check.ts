// `setup --npx` writes a config that makes the client run `npx -y <name>@<version>`. That entry is only
// worth writing when the registry the user's npm talks to has that exact version: otherwise the client
// fails at start-up with nothing but "failed to connect". This module asks npm before the entry is written.
import { spawn } from "node:child_process";
import pkg from "../../../package.json" with { type: "json" };
import { McpkitError } from "../../core/errors.ts";
import { shellLine } from "./shell-quote.ts";

/** The npm package this build came from (embedded at build time, like the version). */
export const NPM_PACKAGE: { readonly name: string; readonly version: string } = {
  name: pkg.name,
  version: pkg.version,
};

/** How long `npm view` may take before the check counts as "could not be made". */
export const NPX_CHECK_TIMEOUT_MS = 5_000;

/** The launcher `--npx` writes: pinned to this version, so the client runs what was checked. */
export function npxLauncher(): string[] {
  return ["npx", "-y", `${NPM_PACKAGE.name}@${NPM_PACKAGE.version}`];
}

export type RegistryAnswer =
  | { kind: "published" }
  | { kind: "missing"; code: string }
  | { kind: "unknown"; reason: string };

/** npm's error codes that mean "the registry was not reached", in words a user can act on. */
const UNREACHABLE: Record<string, string> = {
  ENOTCACHED: "npm is in offline mode and has no cached copy",
  ECONNREFUSED: "the npm registry refused the connection",
  ENOTFOUND: "the npm registry's host name does not resolve",
  EAI_AGAIN: "the npm registry's host name does not resolve",
  ECONNRESET: "the connection to the npm registry was reset",
  ETIMEDOUT: "the npm registry did not answer",
  ENETUNREACH: "the network is unreachable",
  EHOSTUNREACH: "the npm registry's host is unreachable",
};

/**
 * Reads npm's `--json` answer. Only npm's error code is kept: its summary can contain the registry URL,
 * and a registry URL may carry credentials.
 */
export function interpretView(exitCode: number | null, stdout: string, version: string): RegistryAnswer {
  let parsed: unknown;
  try {
    parsed = stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    parsed = undefined;
  }
  if (exitCode === 0) {
    const versions = Array.isArray(parsed) ? parsed : [parsed];
    if (versions.includes(version)) return { kind: "published" };
    return { kind: "missing", code: "no such version" };
  }
  const code = (parsed as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (code === "E404") return { kind: "missing", code: "E404" };
  if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) {
    return { kind: "unknown", reason: `${UNREACHABLE[code] ?? "npm view failed"} (${code})` };
  }
  return { kind: "unknown", reason: `npm view exited with code ${exitCode} and no error code` };
}

/** Asks the user's own npm (same config, registry and proxy that `npx` will use) for `name@version`. */
export function viewPackage(
  name: string,
  version: string,
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RegistryAnswer> {
  const timeoutMs = opts.timeoutMs ?? NPX_CHECK_TIMEOUT_MS;
  // No retries: a refused or unresolvable registry should be reported now, not after npm's 10 s backoff.
  const args = ["view", `${name}@${version}`, "version", "--json", "--fetch-retries=0"];
  return new Promise((resolve) => {
    let stdout = "";
    let settled = false;
    const done = (answer: RegistryAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const child = spawn("npm", args, {
      env: { ...(opts.env ?? process.env), npm_config_update_notifier: "false" },
      stdio: ["ignore", "pipe", "ignore"],
      // npm is npm.cmd on Windows, which only a shell can start; the arguments are plain words.
      shell: process.platform === "win32",
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      done({ kind: "unknown", reason: `npm did not answer within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.once("error", (err: NodeJS.ErrnoException) => {
      done({
        kind: "unknown",
        reason:
          err.code === "ENOENT" ? "npm was not found on PATH" : `npm could not be started (${err.code})`,
      });
    });
    child.once("close", (code) => done(interpretView(code, stdout, version)));
  });
}

/**
 * Refuses (one line, exit 1) unless the registry has this exact package version. `selfLaunch` is the
 * command that works without the registry: this executable by absolute path, with the server name.
 */
export async function ensureNpxResolves(
  selfLaunch: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const spec = `${NPM_PACKAGE.name}@${NPM_PACKAGE.version}`;
  const answer = await viewPackage(NPM_PACKAGE.name, NPM_PACKAGE.version, opts);
  if (answer.kind === "published") return;
  const instead = `drop --npx to launch this executable by absolute path (${shellLine(selfLaunch)})`;
  if (answer.kind === "missing") {
    throw new McpkitError(
      `--npx refused: the npm registry has no ${spec} (${answer.code}), so the client's "npx -y ${spec}" ` +
        `would fail; ${instead}, or pass --no-verify to write the npx entry anyway`,
    );
  }
  throw new McpkitError(
    `--npx refused: could not check that the npm registry has ${spec}: ${answer.reason}; ${instead}, ` +
      "or pass --no-verify to write the npx entry without the check",
  );
}
