import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { baseEnv, type HttpProcess, ROOT } from "../helpers/mcpkit.ts";

/** The echo test server behind the real CLI, command table and transport layer (tests/fixtures/echo-cli.ts). */
export const ECHO = resolve(ROOT, "dist/test/echo-cli.mjs");

/** Runs `echo-cli echo <args>` as a network server and waits for the URL it announces. */
export async function startEcho(args: string[], env: Record<string, string> = {}): Promise<HttpProcess> {
  const child = spawn("node", [ECHO, "echo", ...args], {
    env: baseEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  const exited = new Promise<number | string | null>((res) => child.once("exit", (c, s) => res(c ?? s)));
  const url = await new Promise<string>((res, rej) => {
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    void exited.then((c) => rej(new Error(`exited ${c}: ${err}`)));
  });
  return {
    child,
    url,
    origin: new URL(url).origin,
    stderr: () => err,
    stop: async (sig = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      return exited;
    },
  };
}
