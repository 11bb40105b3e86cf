import type { ServerApp } from "../core/app.ts";
import { StdinSource } from "./stdin-source.ts";
import { StdioLineTransport } from "./stdio-lines.ts";

export interface RunningStdio {
  /** Resolves when the client closes stdin. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves one MCP session over stdin/stdout; stdout carries only JSON-RPC. `stdin` is the reader the
 * command opened at start-up (so input sent while the app started is delivered now).
 */
export async function serveStdio(app: ServerApp, stdin = new StdinSource()): Promise<RunningStdio> {
  const server = app.createServer();
  const transport = new StdioLineTransport(stdin);
  const ended = new Promise<void>((resolve) => {
    void stdin.ended.then(resolve);
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  return { ended, close: () => server.close() };
}
