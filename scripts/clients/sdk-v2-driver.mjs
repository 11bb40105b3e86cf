// Drives one server with the v2 SDK client (@modelcontextprotocol/client 2.4.x, installed in the clients
// cache, not in node_modules): connect with protocol negotiation "auto", list tools, make one call.
// Run with node: `node sdk-v2-driver.mjs '<json job>'`; prints one JSON line with what happened.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const job = JSON.parse(process.argv[2] ?? "{}");
const pkg = join(process.env.MCPKIT_CLIENTS_DIR ?? "", "node_modules/@modelcontextprotocol/client/dist");
const load = (file) => import(pathToFileURL(join(pkg, file)).href);

const out = { connected: false };
const started = performance.now();
try {
  const sdk = await load("index.mjs");
  let transport;
  if (job.transport === "stdio") {
    const { StdioClientTransport } = await load("stdio.mjs");
    transport = new StdioClientTransport({
      command: job.command,
      args: job.args,
      env: job.env,
      stderr: "ignore",
    });
  } else {
    const headers = job.headers ?? {};
    const url = new URL(job.url);
    transport =
      job.transport === "sse"
        ? new sdk.SSEClientTransport(url, {
            requestInit: { headers },
            eventSourceInit: {
              fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers ?? {}), ...headers } }),
            },
          })
        : new sdk.StreamableHTTPClientTransport(url, { requestInit: { headers } });
  }
  const client = new sdk.Client(
    { name: "mcpkit-clients-v2", version: "0.0.0" },
    { versionNegotiation: { mode: job.negotiation === "legacy" ? "legacy" : "auto" } },
  );
  await client.connect(transport, { timeout: 20_000 });
  out.connectMs = Math.round(performance.now() - started);
  out.connected = true;
  out.protocol = client.getNegotiatedProtocolVersion?.();
  const tools = await client.listTools();
  out.tools = tools.tools.length;
  if (job.call) {
    const r = await client.callTool(job.call);
    out.call = {
      isError: Boolean(r.isError),
      text: (r.content ?? [])
        .map((c) => c.text ?? "")
        .join("\n")
        .slice(0, 400),
    };
  }
  await client.close();
} catch (err) {
  out.error = String(err?.message ?? err).slice(0, 600);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
