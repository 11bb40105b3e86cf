import type { ServerContext } from "../../core/app.ts";
import { errorMessage } from "../../core/errors.ts";
import { lockDir, registerInstance } from "./instance-lock.ts";
import { logFilePath, startLogFile } from "./log-file.ts";

/** What a serving gateway keeps in its state dir: the log file, and the lock or its instance file. */
export interface RuntimeState {
  dir: string;
  listening(url: string): void;
  close(): void;
}

/**
 * Starts the log file (`<state>/logs/gateway.log`) and registers this gateway: the exclusive lock for
 * http/sse (throws StartupError, exit 1, when a live gateway holds it), an instance file for stdio.
 */
export function openRuntimeState(
  ctx: ServerContext,
  settings: { lockDir?: string; logMaxBytes: number },
): RuntimeState {
  const dir = lockDir(ctx.env, settings.lockDir);
  let warned = false;
  const stopLog = startLogFile(logFilePath(dir), settings.logMaxBytes, (err) => {
    if (warned) return;
    warned = true;
    ctx.log.warn("log file disabled", { path: logFilePath(dir), error: errorMessage(err) });
  });
  try {
    const reg = registerInstance(dir, { transport: ctx.transport, version: ctx.version }, (msg, fields) =>
      ctx.log.warn(msg, fields),
    );
    return {
      dir,
      listening: (url) => reg.setUrl(url),
      close: () => {
        reg.release();
        stopLog();
      },
    };
  } catch (err) {
    stopLog();
    throw err;
  }
}
