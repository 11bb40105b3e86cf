import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, FAULTY, type GatewaySession, openGateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 60_000;

const s = scratch();
const launches = join(s.dir, "launches.log");
let registry: Server;
let registryUrl = "";
let gw: GatewaySession;

/**
 * Stand-ins for npx, uvx and docker: each records how it was called and then runs the faulty test
 * server (docker answers `pull` itself), so update_server can be watched without the network.
 */
function fakeLauncher(name: string, pullFails = false): string {
  const dir = join(s.dir, pullFails ? "bin-broken" : "bin");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const pull = pullFails
    ? 'if [ "$1" = pull ]; then echo "pull denied: no such image" >&2; exit 1; fi'
    : `if [ "$1" = pull ]; then echo "${name} $*" >> "${launches}"; exit 0; fi`;
  writeFileSync(path, `#!/bin/sh\n${pull}\necho "${name} $*" >> "${launches}"\nexec node "${FAULTY}"\n`);
  chmodSync(path, 0o755);
  return path;
}

const logged = () => (existsSync(launches) ? readFileSync(launches, "utf8").trim().split("\n") : []);

beforeAll(async () => {
  // A fake npm registry answering `npm view <pkg> version`.
  registry = createServer((req, res) => {
    if (decodeURIComponent(req.url ?? "").includes("@test/fake-server")) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          name: "@test/fake-server",
          "dist-tags": { latest: "9.9.9" },
          versions: { "9.9.9": { name: "@test/fake-server", version: "9.9.9" } },
        }),
      );
    } else res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}');
  });
  await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
  const cfg = writeJson(join(s.dir, "servers.mcp.json"), {
    mcpServers: {
      npmsrv: { command: fakeLauncher("npx"), args: ["-y", "@test/fake-server"] },
      pinned: { command: join(s.dir, "bin", "npx"), args: ["-y", "@test/fake-server@1.2.3"] },
      pysrv: { command: fakeLauncher("uvx"), args: ["fake-py-server"] },
      img: {
        command: fakeLauncher("docker"),
        args: ["run", "-i", "--rm", "-e", "X=1", "ghcr.io/test/img:main"],
      },
      badimg: { command: fakeLauncher("docker", true), args: ["run", "-i", "test/missing"] },
      plain: { command: "node", args: [FAULTY] },
    },
  });
  gw = await openGateway(
    "stdio",
    ["--config", cfg],
    s.env({ npm_config_registry: registryUrl, npm_config_fetch_retries: "0" }),
    s.dir,
  );
}, TIMEOUT);

afterAll(async () => {
  await gw?.close();
  await new Promise((r) => registry.close(r));
}, TIMEOUT);

describe("gateway_update_server", () => {
  it(
    "restarts an npx server on @latest, reports the registry's latest version, and it keeps working",
    async () => {
      const before = await call(gw.client, "invoke", {
        tool_id: "npmsrv::echo_text",
        arguments: { text: "a" },
      });
      expect(before.text).toBe("echo: a");
      const r = await call(gw.client, "update_server", { server_name: "npmsrv" });
      expect(r.isError).toBe(false);
      expect(r.data).toMatchObject({
        ok: true,
        package_type: "npm",
        package_name: "@test/fake-server",
        restarted: true,
        latest_version: "9.9.9",
      });
      expect(logged()).toContain("npx -y @test/fake-server@latest");
      const after = await call(gw.client, "invoke", {
        tool_id: "npmsrv::echo_text",
        arguments: { text: "b" },
      });
      expect(after.text).toBe("echo: b");
    },
    TIMEOUT,
  );

  it(
    "uvx servers move to @latest; docker images are pulled first, and a failed pull changes nothing",
    async () => {
      const py = await call(gw.client, "update_server", { server_name: "pysrv" });
      expect(py.data).toMatchObject({ ok: true, package_type: "pypi", package_name: "fake-py-server" });
      expect(logged()).toContain("uvx fake-py-server@latest");

      const img = await call(gw.client, "update_server", { server_name: "img" });
      expect(img.data).toMatchObject({ ok: true, package_type: "docker", package_name: "ghcr.io/test/img" });
      const lines = logged();
      const pulled = lines.indexOf("docker pull ghcr.io/test/img:main");
      expect(pulled).toBeGreaterThanOrEqual(0);
      expect(lines.slice(pulled)).toContain("docker run -i --rm -e X=1 ghcr.io/test/img:main");

      const bad = await call(gw.client, "update_server", { server_name: "badimg" });
      expect(bad.isError).toBe(true);
      expect(bad.text).toContain("pull denied: no such image");
      expect(bad.data.restarted).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "refuses pinned, unknown and non-package servers with a reason",
    async () => {
      const pinned = await call(gw.client, "update_server", { server_name: "pinned" });
      expect(pinned.isError).toBe(true);
      expect(pinned.text).toContain("pinned to 1.2.3");
      const plain = await call(gw.client, "update_server", { server_name: "plain" });
      expect(plain.isError).toBe(true);
      expect(plain.data.package_type).toBe("unknown");
      const unknown = await call(gw.client, "update_server", { server_name: "nope" });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toContain("not configured");
    },
    TIMEOUT,
  );

  it(
    "will not restart under a call in flight unless forced",
    async () => {
      const hanging = call(gw.client, "invoke", { tool_id: "npmsrv::hang_forever" });
      const deadline = Date.now() + 20_000;
      while ((await call(gw.client, "list_pending")).data.total_pending !== 1 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const refused = await call(gw.client, "update_server", { server_name: "npmsrv" });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain("force:true");
      const forced = await call(gw.client, "update_server", { server_name: "npmsrv", force: true });
      expect(forced.data).toMatchObject({ ok: true, cancelled_request_count: 1 });
      const ended = await hanging;
      expect(ended.isError).toBe(true);
      expect(ended.text).toContain("cancelled");
    },
    TIMEOUT,
  );
});
