import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { baseEnv, connectHttp, connectStdio, startHttp, waitFor } from "../helpers/mcpkit.ts";
import { makeToken, runToExit, startFake, textOf, trueppmEnv } from "./helpers.ts";

const TOKEN = makeToken("startup");
const UNKNOWN = makeToken("unknown");
let fake: FakeTrueppm;
beforeAll(async () => {
  fake = await startFake({ [TOKEN]: undefined });
}, 20_000);
afterAll(async () => {
  await fake?.close();
});

/** One clean line on stderr: no stack trace, no token. */
function expectOneCleanLine(stderr: string, secret: string) {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain(secret);
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("configuration errors exit 2 and name the variable", () => {
  it("missing TRUEPPM_API_URL", async () => {
    const r = await runToExit(["trueppm"], baseEnv({ TRUEPPM_API_TOKEN: TOKEN }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mcpkit: Configuration error: TRUEPPM_API_URL is required/);
    expectOneCleanLine(r.stderr, TOKEN);
    expect(r.stdout).toBe("");
  }, 20_000);

  it("blank TRUEPPM_API_TOKEN", async () => {
    const r = await runToExit(
      ["trueppm"],
      baseEnv({ TRUEPPM_API_URL: fake.origin, TRUEPPM_API_TOKEN: "  " }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mcpkit: Configuration error: TRUEPPM_API_TOKEN is required/);
    expectOneCleanLine(r.stderr, TOKEN);
  }, 20_000);
});

describe("a client-config reference nobody expanded", () => {
  it("exits 2 naming the variable and what to do", async () => {
    const r = await runToExit(
      ["trueppm"],
      baseEnv({ TRUEPPM_API_URL: "{env:TRUEPPM_API_URL}", TRUEPPM_API_TOKEN: TOKEN }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^mcpkit: Configuration error: TRUEPPM_API_URL is the unexpanded reference \{env:TRUEPPM_API_URL\}: the MCP client did not replace it/,
    );
    expectOneCleanLine(r.stderr, TOKEN);
  }, 20_000);
});

describe("`trueppm check` runs the boot check alone and exits with its code", () => {
  it("a rejected token exits 3 with one clean line", async () => {
    const before = fake.requestsTo("auth/me/").length;
    const r = await runToExit(["trueppm", "check"], trueppmEnv(fake, UNKNOWN));
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /^mcpkit: The TruePPM API rejected the configured token \(HTTP 401\) — identity refusal \(token_identity\)\. Mint a fresh token/,
    );
    expectOneCleanLine(r.stderr, UNKNOWN);
    expect(fake.requestsTo("auth/me/").length - before).toBe(1);
  }, 20_000);

  it("an instance with MCP switched off exits 3 with the policy refusal", async () => {
    fake.killSwitch = true;
    try {
      const r = await runToExit(["trueppm", "check"], trueppmEnv(fake, TOKEN));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("Unexpected response from auth/me/: HTTP 403 — policy refusal.");
      expectOneCleanLine(r.stderr, TOKEN);
    } finally {
      fake.killSwitch = false;
    }
  }, 20_000);

  it("an unreachable API exits 4 and names the variable to check; a blocked port is named as such", async () => {
    const port = await closedPort();
    const r = await runToExit(
      ["trueppm", "check"],
      baseEnv({ TRUEPPM_API_URL: `http://127.0.0.1:${port}`, TRUEPPM_API_TOKEN: TOKEN }),
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^mcpkit: TruePPM boot check failed: Could not reach the TruePPM API for auth\/me\/: ECONNREFUSED\. Check TRUEPPM_API_URL/,
    );
    expectOneCleanLine(r.stderr, TOKEN);
    const blocked = await runToExit(
      ["trueppm", "check"],
      baseEnv({ TRUEPPM_API_URL: "http://127.0.0.1:6000", TRUEPPM_API_TOKEN: TOKEN }),
    );
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toContain("port 6000 is blocked by fetch");
    expect(blocked.stderr).toContain("TRUEPPM_API_URL uses port 6000, which fetch refuses to connect to");
    expectOneCleanLine(blocked.stderr, TOKEN);
  }, 20_000);

  it("a good token exits 0 with one line on stdout", async () => {
    const r = await runToExit(["trueppm", "check"], trueppmEnv(fake, TOKEN));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TruePPM API at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/: token accepted\n$/);
    expect(r.stderr).toBe("");
  }, 20_000);
});

describe("the server answers at once and checks the token behind the handshake", () => {
  it("a rejected token: tools/list answers, every call returns the check's message (stdio and HTTP)", async () => {
    const s = await connectStdio(["trueppm"], { env: trueppmEnv(fake, UNKNOWN) });
    try {
      expect((await s.client.listTools()).tools).toHaveLength(18);
      const r = await s.client.callTool({ name: "list_programs", arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /^Error executing tool list_programs: The TruePPM API rejected the configured token \(HTTP 401\) — identity refusal \(token_identity\)\.\nMint a fresh token/,
      );
      expect(textOf(r)).not.toContain(UNKNOWN);
      expect(fake.requestsTo("programs/").some((q) => q.headers.authorization?.includes(UNKNOWN))).toBe(
        false,
      );
      await waitFor(() => s.stderr().includes("rejected"));
      expect(s.stderr().trim().split("\n")).toHaveLength(1);
      expect(s.stderr()).not.toContain(UNKNOWN);
    } finally {
      await s.close();
    }
    const h = await startHttp(["trueppm", "--transport", "http", "--port", "0"], {
      env: trueppmEnv(fake, UNKNOWN),
    });
    try {
      const client = await connectHttp(h.url);
      const r = await client.callTool({ name: "whoami", arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain("rejected the configured token (HTTP 401)");
      await client.close();
    } finally {
      await h.stop();
    }
  }, 30_000);

  it("an unreachable API: the call says so and which variable to check", async () => {
    const port = await closedPort();
    const s = await connectStdio(["trueppm"], {
      env: baseEnv({ TRUEPPM_API_URL: `http://127.0.0.1:${port}`, TRUEPPM_API_TOKEN: TOKEN }),
    });
    try {
      const r = await s.client.callTool({ name: "list_projects", arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain("Could not reach the TruePPM API for auth/me/: ECONNREFUSED");
      expect(textOf(r)).toContain("Check TRUEPPM_API_URL");
    } finally {
      await s.close();
    }
  }, 20_000);

  it("a switched-off instance that is switched back on: the next call succeeds", async () => {
    fake.killSwitch = true;
    const s = await connectStdio(["trueppm"], { env: trueppmEnv(fake, TOKEN) });
    try {
      const off = await s.client.callTool({ name: "list_programs", arguments: {} });
      expect(off.isError).toBe(true);
      expect(textOf(off)).toContain("policy refusal");
      fake.killSwitch = false;
      const on = await s.client.callTool({ name: "list_programs", arguments: {} });
      expect(on.isError, textOf(on)).toBeFalsy();
    } finally {
      fake.killSwitch = false;
      await s.close();
    }
  }, 20_000);

  // The other URL spellings are covered by the normalisation unit test; here the two extremes, end to end.
  const urlForms = (origin: string) => [origin, `${origin}/api/v1/`];
  for (const form of [0, 1]) {
    it(`a good token: GET /api/v1/auth/me/ once, then the tool's request (URL form ${form + 1} of 2)`, async () => {
      const url = urlForms(fake.origin)[form]!;
      const before = fake.requests.length;
      const s = await connectStdio(["trueppm"], {
        env: baseEnv({ TRUEPPM_API_URL: url, TRUEPPM_API_TOKEN: TOKEN }),
      });
      try {
        await s.client.callTool({ name: "list_programs", arguments: {} });
        const seen = fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);
        expect(seen).toEqual(["GET /api/v1/auth/me/", "GET /api/v1/programs/"]);
        expect(s.stderr()).toBe("");
      } finally {
        await s.close();
      }
    }, 20_000);
  }
});
