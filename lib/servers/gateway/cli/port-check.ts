import { createServer } from "node:net";

export type PortState =
  | { state: "free" }
  | { state: "mcpkit"; url: string }
  | { state: "other"; detail: string };

/** Whether `host:port` can be bound; when it cannot, whether an mcpkit server (GET /healthz) holds it. */
export async function checkPort(host: string, port: number): Promise<PortState> {
  const bindError = await new Promise<string | undefined>((resolve) => {
    const srv = createServer();
    srv.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(undefined)));
  });
  if (!bindError) return { state: "free" };
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const body = await res.text();
    if (res.ok && /"status"\s*:\s*"ok"/.test(body)) return { state: "mcpkit", url: `${base}/mcp` };
    return { state: "other", detail: `${bindError}; GET /healthz answered ${res.status}` };
  } catch {
    return { state: "other", detail: bindError };
  }
}
