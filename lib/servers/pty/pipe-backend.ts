import { spawn } from "node:child_process";
import type { ChildHandle, ProcessHandlers, SpawnRequest } from "./process-backend.ts";
import { killGroup } from "./process-backend.ts";

/**
 * `separate_streams`: stdout and stderr as two pipes so they can be read apart. There is no terminal
 * here (stdin is a pipe too), so programs see a non-interactive environment.
 */
export async function spawnWithPipes(req: SpawnRequest, handlers: ProcessHandlers): Promise<ChildHandle> {
  const child = spawn(req.argv[0]!, req.argv.slice(1), {
    cwd: req.cwd,
    env: req.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", () => resolve());
    child.once("error", reject);
  });
  let exited = false;
  child.stdout!.on("data", (d: Buffer) => handlers.onData(d, "stdout"));
  child.stderr!.on("data", (d: Buffer) => handlers.onData(d, "stderr"));
  child.stdin!.on("error", () => {});
  // 'close' fires after both pipes ended, so every byte is delivered before the exit is reported.
  child.once("close", (code, sig) => {
    exited = true;
    handlers.onExit(sig ? { exitCode: null, signal: sig } : { exitCode: code ?? 0, signal: null });
  });
  const pid = child.pid!;
  return {
    pid,
    pgid: pid,
    isTty: false,
    write: (data) => {
      if (!exited && child.stdin!.writable) child.stdin!.write(data);
    },
    resize: () => {},
    kill: (sig) => killGroup(pid, pid, sig),
    dispose: () => {
      child.stdin!.destroy();
    },
  };
}
