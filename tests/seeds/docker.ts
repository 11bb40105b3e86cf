import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROOT } from "../helpers/mcpkit.ts";

/** What a `docker run …` line asks for: environment, published ports, image and the arguments after it. */
export interface DockerRun {
  env: Record<string, string>;
  publish: string[];
  interactive: boolean;
  image: string;
  args: string[];
}

/** Splits a shell line the simple way seeds write them (backslash continuations, no quoting). */
function words(text: string): string[] {
  return text
    .replace(/\\\n/g, " ")
    .replace(/\s#.*$/gm, "")
    .split(/\s+/)
    .filter(Boolean);
}

/** Parses a seed's `docker run` command (the flags the seeds use: --rm, -i, -it, -p, -e, -v). */
export function parseDockerRun(text: string): DockerRun {
  const w = words(text);
  if (w[0] !== "docker" || w[1] !== "run") throw new Error(`not a docker run line: ${text}`);
  const run: DockerRun = { env: {}, publish: [], interactive: false, image: "", args: [] };
  let i = 2;
  for (; i < w.length && w[i]!.startsWith("-"); i++) {
    const flag = w[i]!;
    if (flag === "--rm") continue;
    if (flag === "-i" || flag === "-it") run.interactive = true;
    else if (flag === "-e") {
      const [k, ...v] = w[++i]!.split("=");
      run.env[k!] = v.join("=");
    } else if (flag === "-p") run.publish.push(w[++i]!);
    else if (flag === "-v") i++;
    else throw new Error(`docker run flag not understood: ${flag}`);
  }
  run.image = w[i]!;
  run.args = w.slice(i + 1);
  return run;
}

/** ENTRYPOINT/CMD of the repository's Dockerfile (exec form), and its runtime ENV lines. */
export function dockerImage(): { entrypoint: string[]; cmd: string[]; env: Record<string, string> } {
  const file = readFileSync(resolve(ROOT, "Dockerfile"), "utf8");
  const json = (instruction: string): string[] | undefined => {
    const m = new RegExp(`^${instruction} (\\[.*\\])$`, "m").exec(file);
    return m ? (JSON.parse(m[1]!) as string[]) : undefined;
  };
  const runtime = file.slice(file.lastIndexOf("\nFROM "));
  const env: Record<string, string> = {};
  for (const m of runtime.matchAll(/^ENV (\w+)=(\S+)$/gm)) env[m[1]!] = m[2]!;
  return { entrypoint: json("ENTRYPOINT") ?? [], cmd: json("CMD") ?? [], env };
}

/**
 * The process the image would start for this `docker run`: ENTRYPOINT plus the arguments after the image
 * name (or CMD when there are none), with /app/mcpkit.mjs standing for this checkout's bundle.
 */
export function entrypointProcess(run: DockerRun): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  const image = dockerImage();
  const argv = [...image.entrypoint, ...(run.args.length ? run.args : image.cmd)].map((a) =>
    a === "/app/mcpkit.mjs" ? resolve(ROOT, "dist/mcpkit.mjs") : a,
  );
  return { command: argv[0]!, args: argv.slice(1), env: { ...image.env, ...run.env } };
}
