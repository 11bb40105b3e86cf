import type { ServerApp, TransportKind } from "../core/app.ts";
import type { Logger } from "../core/log.ts";
import type { HttpOptions } from "./options.ts";
import { serveStdio } from "./stdio.ts";

export interface ServeOptions extends Omit<HttpOptions, "log"> {
  transport: TransportKind;
}

/** Longest we wait for sessions and children to close before exiting anyway. */
const SHUTDOWN_GRACE_MS = 5000;

/**
 * Serves `app` on the chosen transport until the client goes away or a signal arrives, then closes
 * sessions and the app (children, PTYs, downstreams) and exits: stdin EOF → 0, SIGTERM → 0, SIGINT → 130.
 */
export async function serve(app: ServerApp, opts: ServeOptions, log: Logger): Promise<never> {
  let closeTransport: () => Promise<void>;
  let ended: Promise<void>;
  let url: string | undefined;

  if (opts.transport === "stdio") {
    const running = await serveStdio(app);
    closeTransport = running.close;
    ended = running.ended;
  } else {
    // Loaded only for network transports: the SDK's HTTP/SSE stack (body parsing, charsets) is a large
    // share of the bundle and a stdio server never needs it.
    const { serveHttp } = await import("./http.ts");
    const running = await serveHttp(app, { ...opts, log }, opts.transport).catch(async (err: unknown) => {
      await app.close();
      throw err;
    });
    url = running.url;
    closeTransport = running.close;
    ended = new Promise(() => {});
  }

  let exiting = false;
  const shutdown = async (code: number, why: string) => {
    if (exiting) return;
    exiting = true;
    log.debug(`shutting down: ${why}`);
    const timer = setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS);
    await Promise.allSettled([closeTransport(), app.close()]);
    clearTimeout(timer);
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(130, "SIGINT"));
  process.once("SIGTERM", () => void shutdown(0, "SIGTERM"));
  process.once("SIGHUP", () => void shutdown(129, "SIGHUP"));
  if (url) {
    // Always announced (tests and scripts read it to find a --port 0 listener), and only once the signal
    // handlers are in place: a SIGTERM sent on reading it must shut down cleanly, not kill the process.
    process.stderr.write(`mcpkit: listening on ${url}\n`);
    app.listening?.(url);
  }
  await ended;
  await shutdown(0, "stdin closed");
  return new Promise<never>(() => {});
}
