import { serveStdio as serveBothEras } from "@modelcontextprotocol/server/stdio";
import type { ServerApp } from "../core/app.ts";
import type { Logger } from "../core/log.ts";
import { StdinSource } from "./stdin-source.ts";
import { StdioLineTransport } from "./stdio-lines.ts";

export interface RunningStdio {
  /** Resolves when the client closes stdin. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves one MCP connection over stdin/stdout; stdout carries only JSON-RPC. `stdin` is the reader the
 * command opened at start-up (so input sent while the app started is delivered now). The opening message
 * picks the era for the connection: `initialize` a 2025-era session, a request carrying the 2026-07-28
 * `_meta` envelope (`server/discover` first, usually) a 2026-07-28 connection; one app serves both.
 */
export async function serveStdio(
  app: ServerApp,
  stdin = new StdinSource(),
  log?: Logger,
): Promise<RunningStdio> {
  const transport = new StdioLineTransport(stdin);
  const handle = serveBothEras(() => app.createServer(), {
    transport,
    // Unparseable or oversized lines, refused openings: the client sees its error answer, we note it.
    onerror: (err) => log?.debug("stdio message refused", { error: err.message }),
  });
  return { ended: Promise.race([stdin.ended, transport.closed]), close: () => handle.close() };
}
