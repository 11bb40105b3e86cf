import { SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import type { McpServer, Transport } from "@modelcontextprotocol/server";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { buildChildEnv } from "./child-env.ts";
import type { UpstreamSpec } from "./specs.ts";
import { ChildStdioTransport } from "./stdio-transport.ts";

export interface TransportHandle {
  transport: Transport;
  /** The child's pid for stdio servers. */
  pid(): number | null;
  /** For in-memory servers: the server side, closed with the connection. */
  server?: McpServer;
}

export interface TransportContext {
  onStderr: (chunk: Uint8Array) => void;
  /** The environment the child's safe base is drawn from (process.env by default). */
  parentEnv?: Record<string, string | undefined>;
}

/** Builds the client transport for a spec; for in-memory specs also starts the server on the other end. */
export async function createTransport(spec: UpstreamSpec, ctx: TransportContext): Promise<TransportHandle> {
  switch (spec.transport) {
    case "stdio": {
      const env = buildChildEnv(spec.env, ctx.parentEnv);
      if (process.platform === "win32") {
        // The SDK's transport resolves `.cmd` shims (npx.cmd) via cross-spawn; there are no process groups to use.
        const t = new StdioClientTransport({
          command: spec.command,
          args: spec.args,
          env,
          cwd: spec.cwd,
          stderr: "pipe",
        });
        t.stderr?.on("data", (c: Uint8Array) => ctx.onStderr(c));
        return { transport: t, pid: () => t.pid };
      }
      const t = new ChildStdioTransport({
        command: spec.command,
        args: spec.args,
        env,
        cwd: spec.cwd,
        onStderr: ctx.onStderr,
      });
      return { transport: t, pid: () => t.pid };
    }
    case "http": {
      const t = new StreamableHTTPClientTransport(new URL(spec.url), {
        requestInit: { headers: spec.headers },
      });
      return { transport: t, pid: () => null };
    }
    case "sse": {
      const t = new SSEClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } });
      return { transport: t, pid: () => null };
    }
    case "memory": {
      const server = await spec.create();
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      return { transport: clientSide, pid: () => null, server };
    }
  }
}
