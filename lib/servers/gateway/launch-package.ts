import { execFile } from "node:child_process";
import { basename } from "node:path";

export type PackageType = "npm" | "pypi" | "docker";

/** The package a launch command runs, found in its arguments. */
export interface LaunchPackage {
  type: PackageType;
  /** Package or image name without a version. */
  name: string;
  /** The version or tag as written ("" when none). */
  version: string;
  /** Pinned to a version (npm/pypi) or a digest (docker): an update would not change what runs. */
  pinned: boolean;
  /** Index in args of the package argument. */
  index: number;
}

/** docker run options that take a value, so the value is not mistaken for the image. */
const DOCKER_VALUE_FLAGS = new Set([
  "-e",
  "--env",
  "--env-file",
  "-v",
  "--volume",
  "--mount",
  "--name",
  "-p",
  "--publish",
  "--network",
  "--net",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "--entrypoint",
  "-l",
  "--label",
  "--platform",
  "--pull",
  "-m",
  "--memory",
  "--cpus",
  "--add-host",
  "--hostname",
  "-h",
]);

function program(command: string): string {
  return basename(command)
    .toLowerCase()
    .replace(/\.(cmd|exe|bat)$/, "");
}

/** `name@version` with a scoped npm name's leading `@` kept. */
function splitAt(spec: string): { name: string; version: string } {
  const at = spec.lastIndexOf("@");
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name: spec, version: "" };
}

/** Recognises `npx [-y] pkg[@v]`, `uvx pkg[@v|==v]` and `docker run … image[:tag|@digest]`. */
export function launchPackage(command: string, args: string[]): LaunchPackage | undefined {
  const prog = program(command);
  if (prog === "npx" || prog === "uvx") {
    const index = args.findIndex((a) => !a.startsWith("-"));
    if (index < 0) return undefined;
    const arg = args[index]!;
    if (prog === "uvx" && arg.includes("==")) {
      const [name, version] = arg.split("==", 2) as [string, string];
      return { type: "pypi", name, version, pinned: true, index };
    }
    const { name, version } = splitAt(arg);
    return {
      type: prog === "npx" ? "npm" : "pypi",
      name,
      version,
      pinned: version !== "" && version !== "latest",
      index,
    };
  }
  if (prog === "docker" && args[0] === "run") {
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith("-")) {
        if (DOCKER_VALUE_FLAGS.has(a)) i++;
        continue;
      }
      const digest = a.indexOf("@sha256:");
      if (digest > 0)
        return {
          type: "docker",
          name: a.slice(0, digest),
          version: a.slice(digest + 1),
          pinned: true,
          index: i,
        };
      const colon = a.lastIndexOf(":");
      const slash = a.lastIndexOf("/");
      const tagged = colon > slash;
      return {
        type: "docker",
        name: tagged ? a.slice(0, colon) : a,
        version: tagged ? a.slice(colon + 1) : "",
        pinned: false,
        index: i,
      };
    }
  }
  return undefined;
}

/** Runs a command to completion; resolves with its output or rejects with a one-line reason. */
export function runTool(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as { killed?: boolean }).killed
          ? `timed out after ${Math.round(timeoutMs / 1000)} s`
          : String(stderr).trim().split("\n").pop() || err.message;
        reject(new Error(`${[command, ...args].join(" ")}: ${why}`));
      } else resolve(String(stdout));
    });
  });
}
