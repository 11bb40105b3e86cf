import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectStdio, startHttp, waitFor } from "../helpers/mcpkit.ts";
import { deadPid, mcpkit } from "./cli-helpers.ts";
import { FAULTY, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;

/** The default state dir under the scratch HOME. */
const stateDir = (home: string) => join(home, ".local", "state", "mcpkit", "gateway");

/** A config with one small downstream, so the gateways do not start the built-in servers. */
const config = (dir: string) =>
  writeJson(join(dir, "c.mcp.json"), { mcpServers: { faulty: { command: "node", args: [FAULTY] } } });

describe("gateway lock and instance files", () => {
  it(
    "an HTTP gateway takes the lock; a second one on the same lock dir is refused naming pid and URL; stop releases it",
    async () => {
      const s = scratch();
      const cfg = config(s.dir);
      const first = await startHttp(["gateway", "--config", cfg, "--transport", "http", "--port", "0"], {
        env: s.env(),
        cwd: s.dir,
      });
      try {
        const lockPath = join(stateDir(s.home), "gateway.lock");
        const lock = await waitFor(() => {
          const l = JSON.parse(readFileSync(lockPath, "utf8"));
          return l.url ? l : undefined;
        });
        expect(lock.pid).toBe(first.child.pid);
        expect(lock.transport).toBe("http");
        expect(lock.url).toBe(first.url);
        expect(typeof lock.started_at).toBe("string");
        expect(statSync(lockPath).mode & 0o777).toBe(0o600);

        const second = mcpkit(
          ["gateway", "--config", cfg, "--transport", "http", "--port", "0"],
          s.env(),
          s.dir,
        );
        expect(second.code).toBe(1);
        expect(second.stderr).toContain(`pid ${first.child.pid}`);
        expect(second.stderr).toContain(first.url);
        expect(second.stderr).toContain("--lock-dir");
        // Still the first one's lock.
        expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(first.child.pid);

        // Another lock dir is another scope: that one starts.
        const other = join(s.dir, "other-lock");
        const third = await startHttp(
          ["gateway", "--config", cfg, "--transport", "http", "--port", "0", "--lock-dir", other],
          { env: s.env(), cwd: s.dir },
        );
        expect(existsSync(join(other, "gateway.lock"))).toBe(true);
        expect(await third.stop()).toBe(0);
        expect(existsSync(join(other, "gateway.lock"))).toBe(false);

        const status = JSON.parse(mcpkit(["gateway", "status", "--json"], s.env(), s.dir).stdout);
        expect(status.gateways.http).toMatchObject({ pid: first.child.pid, alive: true, url: first.url });
        const doctor = mcpkit(["gateway", "doctor", "--port", "0"], s.env(), s.dir);
        expect(doctor.stdout).toContain(`[OK] lock: HTTP gateway pid ${first.child.pid}`);
      } finally {
        await first.stop();
      }
      expect(existsSync(join(stateDir(s.home), "gateway.lock"))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "doctor reports a lock of a dead pid as stale (WARN with the fix); the next HTTP gateway takes it over with a warning",
    async () => {
      const s = scratch();
      const dir = join(s.dir, "locks");
      mkdirSync(dir, { recursive: true });
      const pid = deadPid();
      const lockPath = join(dir, "gateway.lock");
      writeFileSync(
        lockPath,
        JSON.stringify({
          pid,
          transport: "http",
          url: "http://127.0.0.1:9/mcp",
          started_at: "x",
          version: "0",
        }),
      );
      const env = s.env({ PMCP_LOCK_DIR: dir });
      const doctor = mcpkit(["gateway", "doctor", "--port", "0"], env, s.dir);
      expect(doctor.stdout).toContain(`[WARN] lock: stale lock: ${lockPath} names pid ${pid}`);
      expect(doctor.stdout).toContain(`rm ${lockPath}`);
      const json = JSON.parse(mcpkit(["gateway", "doctor", "--port", "0", "--json"], env, s.dir).stdout);
      expect(json.checks.find((c: { name: string }) => c.name === "lock").status).toBe("WARN");

      const gw = await startHttp(
        ["gateway", "--config", config(s.dir), "--transport", "http", "--port", "0"],
        {
          env,
          cwd: s.dir,
        },
      );
      try {
        expect(gw.stderr()).toContain("took over a stale gateway lock");
        expect(gw.stderr()).toContain(`"previous_pid":${pid}`);
        const lock = await waitFor(() => {
          const l = JSON.parse(readFileSync(lockPath, "utf8"));
          return l.url ? l : undefined;
        });
        expect(lock.pid).toBe(gw.child.pid);
      } finally {
        await gw.stop();
      }
      expect(existsSync(lockPath)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "stdio gateways take no lock: two run side by side, each listed by status, each file removed on stdin EOF or SIGTERM",
    async () => {
      const s = scratch();
      const dir = join(s.dir, "state");
      const env = s.env();
      const a = await connectStdio(["gateway", "--lock-dir", dir], { env, cwd: s.dir });
      const b = await connectStdio(["gateway", "--lock-dir", dir], { env, cwd: s.dir });
      const instances = join(dir, "instances");
      try {
        expect(existsSync(join(dir, "gateway.lock"))).toBe(false);
        expect(readdirSync(instances).sort()).toEqual([`${a.pid}.json`, `${b.pid}.json`].sort());
        const info = JSON.parse(readFileSync(join(instances, `${a.pid}.json`), "utf8"));
        expect(info).toMatchObject({ pid: a.pid, transport: "stdio", cwd: s.dir });
        const status = mcpkit(["gateway", "status", "--json", "--lock-dir", dir], env, s.dir);
        const rows = JSON.parse(status.stdout).gateways.stdio as Array<{ pid: number; alive: boolean }>;
        expect(rows.map((r) => r.pid).sort()).toEqual([a.pid, b.pid].sort());
        expect(rows.every((r) => r.alive)).toBe(true);
        const text = mcpkit(["gateway", "status", "--lock-dir", dir], env, s.dir).stdout;
        expect(text).toContain("running: 2 stdio gateway(s)");
        // Both answer.
        expect((await a.client.listTools()).tools.length).toBe(16);
        expect((await b.client.listTools()).tools.length).toBe(16);
        await a.close(); // stdin EOF
        await waitFor(() => !existsSync(join(instances, `${a.pid}.json`)));
        process.kill(b.pid!, "SIGTERM");
        await waitFor(() => !existsSync(join(instances, `${b.pid}.json`)));
      } finally {
        await a.close();
        await b.close();
      }
    },
    TIMEOUT,
  );

  it(
    "doctor reports stale stdio instance files; the next stdio gateway removes them",
    async () => {
      const s = scratch();
      const dir = join(s.dir, "state");
      mkdirSync(join(dir, "instances"), { recursive: true });
      const pid = deadPid();
      const stale = join(dir, "instances", `${pid}.json`);
      writeFileSync(
        stale,
        JSON.stringify({ pid, transport: "stdio", started_at: "x", version: "0", cwd: "/" }),
      );
      const env = s.env({ PMCP_LOCK_DIR: dir });
      const doctor = mcpkit(["gateway", "doctor", "--port", "0"], env, s.dir);
      expect(doctor.stdout).toContain(
        `[WARN] instances: 1 stale stdio instance file(s) of gone pids (${pid})`,
      );
      expect(doctor.stdout).toContain("[OK] lock: no HTTP gateway holds");
      const gw = await connectStdio(["gateway"], { env, cwd: s.dir });
      try {
        expect(existsSync(stale)).toBe(false);
        expect(existsSync(join(dir, "instances", `${gw.pid}.json`))).toBe(true);
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );
});
