import type { ServerApp, TransportKind } from "../core/app.ts";
import type { Logger } from "../core/log.ts";
import type { HttpOptions } from "./options.ts";
import { StdinSource } from "./stdin-source.ts";
import { serveStdio } from "./stdio.ts";

export interface ServeOptions extends Omit<HttpOptions, "log"> {
  transport: TransportKind;
}

/** Longest we wait for the app to finish starting, and for sessions and children to close, before exiting anyway. */
const SHUTDOWN_GRACE_MS = 5000;

/**
 * The process side of a server command, from its first line to its exit. SIGINT (→ 130), SIGTERM (→ 0),
 * SIGHUP (→ 129) and, on stdio, stdin EOF (→ 0) end it in every phase: while the app is still starting
 * (loading, reading config, checking a backend) as much as while it serves. Whatever was opened by then
 * (the app, the transport) is closed first.
 */
export class ServerProcess {
  /** The stdin reader of a stdio command, open from the start so EOF is seen in every phase. */
  readonly stdin: StdinSource | undefined;
  private readonly closers: Array<() => Promise<unknown>> = [];
  private starting: Promise<ServerApp> | undefined;
  private app: ServerApp | undefined;
  private exiting = false;

  constructor(
    private readonly log: Logger,
    transport: TransportKind,
  ) {
    if (transport === "stdio") {
      this.stdin = new StdinSource();
      void this.stdin.ended.then(() => this.shutdown(0, "stdin closed"));
    }
    process.once("SIGINT", () => void this.shutdown(130, "SIGINT"));
    process.once("SIGTERM", () => void this.shutdown(0, "SIGTERM"));
    process.once("SIGHUP", () => void this.shutdown(129, "SIGHUP"));
  }

  /** True once an exit has begun; nothing new should start. */
  get stopping(): boolean {
    return this.exiting;
  }

  /**
   * Follows the app's start: an exit requested meanwhile waits for it (up to the grace period) and then
   * closes the app. A start that fails is left to the caller, which reports it with its exit code.
   */
  startApp(starting: Promise<ServerApp>): Promise<ServerApp> {
    this.starting = starting;
    return starting;
  }

  /** The app being served (possibly wrapped): the one closed on exit. */
  serving(app: ServerApp): void {
    this.app = app;
  }

  /** Something to close on exit (a transport); closed together with the app. */
  onExit(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  async shutdown(code: number, why: string): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    this.log.debug(`shutting down: ${why}`);
    const timer = setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS);
    const closers = [...this.closers];
    if (this.app) {
      const app = this.app;
      closers.push(() => app.close());
    } else if (this.starting) {
      const started = await this.starting.then(
        (app) => ({ app }),
        () => undefined,
      );
      // A failed start is reported by the command itself (one line, its own exit code).
      if (!started) {
        clearTimeout(timer);
        return;
      }
      closers.push(() => started.app.close());
    }
    this.stdin?.detach();
    await Promise.allSettled(closers.map((close) => close()));
    clearTimeout(timer);
    process.exit(code);
  }
}

/**
 * Serves `app` on the chosen transport until the client goes away or a signal arrives, then closes
 * sessions and the app (children, PTYs, downstreams) and exits: stdin EOF → 0, SIGTERM → 0, SIGINT → 130.
 * `proc` is the command's process lifecycle when it began before the app started (the CLI's case).
 */
export async function serve(
  app: ServerApp,
  opts: ServeOptions,
  log: Logger,
  proc: ServerProcess = new ServerProcess(log, opts.transport),
): Promise<never> {
  proc.serving(app);
  if (!proc.stopping) {
    if (opts.transport === "stdio") {
      const running = await serveStdio(app, proc.stdin, log);
      proc.onExit(running.close);
    } else {
      // Loaded only for network transports: the SDK's HTTP/SSE stack (body parsing, charsets) is a large
      // share of the bundle and a stdio server never needs it.
      const { serveHttp } = await import("./http.ts");
      const running = await serveHttp(app, { ...opts, log }, opts.transport).catch(async (err: unknown) => {
        await app.close();
        throw err;
      });
      proc.onExit(running.close);
      // Always announced (tests and scripts read it to find a --port 0 listener), and only once the signal
      // handlers are in place: a SIGTERM sent on reading it must shut down cleanly, not kill the process.
      process.stderr.write(`mcpkit: listening on ${running.url}\n`);
      app.listening?.(running.url);
    }
  }
  return new Promise<never>(() => {});
}
