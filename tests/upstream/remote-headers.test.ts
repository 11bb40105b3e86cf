import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandSpec, UpstreamConnection, UpstreamError } from "../../lib/upstream/index.ts";

/** An HTTP endpoint that records request headers and refuses every request, like a server rejecting auth. */
describe("remote specs send their headers", () => {
  const seen: IncomingHttpHeaders[] = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(403, { "content-type": "text/plain" }).end("forbidden");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  for (const transport of ["http", "sse"] as const) {
    it(`${transport}: expanded headers reach the server; the failure names the server`, async () => {
      seen.length = 0;
      const { spec } = expandSpec(
        {
          name: `remote-${transport}`,
          transport,
          url: `${base}/${transport === "http" ? "mcp" : "sse"}`,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: config placeholder under test
          headers: { Authorization: "Bearer ${REMOTE_TOKEN}", "X-Client": "mcpkit" },
        },
        { REMOTE_TOKEN: "tok-123456789" },
      );
      const conn = new UpstreamConnection(spec);
      const err = await conn.connect().catch((e) => e);
      await conn.close();
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.message).toContain(`'remote-${transport}'`);
      expect(err.message).not.toContain("tok-123456789");
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]!.authorization).toBe("Bearer tok-123456789");
      expect(seen[0]!["x-client"]).toBe("mcpkit");
    });
  }
});
