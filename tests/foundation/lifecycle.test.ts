import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { baseEnv, isAlive, mcpkitCommand, ROOT, waitFor } from "../helpers/mcpkit.ts";

// Spawning real servers is slow on shared machines; bun test needs the limit spelled out.
const T = 60_000;
const ECHO = resolve(ROOT, "dist/test/echo-cli.mjs");
const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } },
})}\n`;
const TRUEPPM_TOKEN = `tppm_${"ab".repeat(32)}`;

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Exit code, or the signal name when killed (the watchdog's SIGKILL shows up as "SIGKILL"). */
  exited: Promise<number | string | null>;
}

/** Starts a command with piped stdio and a watchdog that kills it if it never exits. */
function launch(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Running {
  const child = spawn(command, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const exited = new Promise<number | string | null>((res) =>
    child.once("exit", (code, signal) => {
      clearTimeout(watchdog);
      res(code ?? signal);
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Every live descendant of `pid` (Linux /proc), so a test can prove nothing is left behind. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(name), Number(fields[1]));
    } catch {}
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe("a stdio server command ends with stdin, whatever phase it is in", () => {
  const echo = (env: Record<string, string> = {}) =>
    launch("node", [ECHO, "echo"], baseEnv({ ECHO_START_MS: "2000", ...env }));

  it(
    "stdin closed while the app is still starting: exit 0 once it has started, and the app is closed",
    async () => {
      const r = echo();
      const pid = Number(await waitFor(() => /child (\d+)/.exec(r.stderr())?.[1], 20_000));
      expect(isAlive(pid)).toBe(true);
      r.child.stdin.end();
      expect(await r.exited).toBe(0);
      await waitFor(() => !isAlive(pid));
    },
    T,
  );

  it(
    "SIGTERM while starting exits 0 and SIGINT exits 130, closing the app either way",
    async () => {
      for (const [signal, code] of [
        ["SIGTERM", 0],
        ["SIGINT", 130],
      ] as const) {
        const r = echo();
        const pid = Number(await waitFor(() => /child (\d+)/.exec(r.stderr())?.[1], 20_000));
        r.child.kill(signal);
        expect(await r.exited, signal).toBe(code);
        await waitFor(() => !isAlive(pid));
      }
    },
    T,
  );

  it(
    "input sent while the app starts is not lost: initialize is answered once it has started",
    async () => {
      const r = echo({ ECHO_START_MS: "800" });
      r.child.stdin.write(INITIALIZE);
      await waitFor(() => r.stdout().includes('"result"'), 20_000);
      expect(JSON.parse(r.stdout().split("\n")[0]!).result.serverInfo.name).toBe("echo");
      r.child.stdin.end();
      expect(await r.exited).toBe(0);
    },
    T,
  );
});

describe("all five servers: prompt exit on stdin EOF, nothing left behind, a quiet clean start", () => {
  let ptm: FakePtm;
  let trueppm: FakeTrueppm;
  let unreachable: string;
  let home: string;
  beforeAll(async () => {
    ptm = await startFakePtm();
    trueppm = new FakeTrueppm();
    trueppm.addToken(TRUEPPM_TOKEN);
    await trueppm.start();
    unreachable = await closedPortUrl();
    home = mkdtempSync(join(tmpdir(), "mcpkit-lifecycle-"));
  }, T);
  afterAll(async () => {
    await ptm?.close();
    await trueppm?.close();
    if (home && existsSync(home)) rmSync(home, { recursive: true, force: true });
  }, T);

  /** The environment each server needs; `backend` false points ptm/trueppm at a port nobody listens on. */
  const envFor = (server: string, backend: boolean): Record<string, string> => {
    const env = baseEnv({
      HOME: home,
      XDG_STATE_HOME: join(home, "state"),
      XDG_CACHE_HOME: join(home, "cache"),
    });
    if (server === "ptm")
      return {
        ...env,
        PTM_API_BASE_URL: backend ? ptm.url : unreachable,
        PTM_API_TOKEN: ptm.token,
        PTM_CF_AUTO_DISCOVER: "false",
      };
    if (server === "trueppm")
      return {
        ...env,
        TRUEPPM_API_URL: backend ? trueppm.origin : unreachable,
        TRUEPPM_API_TOKEN: TRUEPPM_TOKEN,
      };
    return env;
  };
  const start = (server: string, backend: boolean) => {
    const cmd = mcpkitCommand();
    return launch(cmd.command, [...cmd.args, server], envFor(server, backend), home);
  };

  for (const server of ["gateway", "ptc", "pty", "ptm", "trueppm"]) {
    it(
      `${server}: stdin closed at once, after a second, and after initialize: exit 0 each time`,
      async () => {
        const atOnce = start(server, false);
        atOnce.child.stdin.end();
        const later = start(server, false);
        // Like `(sleep 1) | mcpkit <server>`: the client goes away while the server may still be busy.
        setTimeout(() => later.child.stdin.end(), 1000);
        const served = start(server, false);
        served.child.stdin.write(INITIALIZE);
        await waitFor(() => served.stdout().includes('"result"'), 20_000);
        const kids = descendants(served.child.pid!);
        served.child.stdin.end();
        const codes = await Promise.all([atOnce.exited, later.exited, served.exited]);
        expect(codes, `${atOnce.stderr()}${later.stderr()}${served.stderr()}`).toEqual([0, 0, 0]);
        await waitFor(() => kids.every((k) => !isAlive(k)));
      },
      T,
    );

    it(
      `${server}: a clean start prints nothing on stderr; --log-level info shows the routine lines`,
      async () => {
        const quiet = start(server, true);
        quiet.child.stdin.write(INITIALIZE);
        await waitFor(() => quiet.stdout().includes('"result"'), 20_000);
        const cmd = mcpkitCommand();
        const loud = launch(
          cmd.command,
          [...cmd.args, server, "--log-level", "info"],
          envFor(server, true),
          home,
        );
        loud.child.stdin.write(INITIALIZE);
        await waitFor(() => loud.stdout().includes('"result"'), 20_000);
        // ptm and trueppm check their backend behind the handshake; give that check time to log.
        if (server === "ptm" || server === "trueppm") await waitFor(() => loud.stderr().includes("info:"));
        quiet.child.stdin.end();
        loud.child.stdin.end();
        expect(await quiet.exited).toBe(0);
        expect(await loud.exited).toBe(0);
        expect(quiet.stderr()).toBe("");
        if (server !== "pty") expect(loud.stderr()).toContain("info:");
      },
      T,
    );
  }
});
