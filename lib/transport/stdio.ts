import type { ServerApp } from "../core/app.ts";
import { StdioLineTransport } from "./stdio-lines.ts";

export interface RunningStdio {
  /** Resolves when the client closes stdin. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/** Serves one MCP session over stdin/stdout; stdout carries only JSON-RPC. */
export async function serveStdio(app: ServerApp): Promise<RunningStdio> {
  const server = app.createServer();
  const transport = new StdioLineTransport();
  const ended = new Promise<void>((resolve) => {
    process.stdin.once("end", () => resolve());
    process.stdin.once("close", () => resolve());
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  return { ended, close: () => server.close() };
}
