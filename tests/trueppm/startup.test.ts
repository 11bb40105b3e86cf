import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { baseEnv, connectStdio } from "../helpers/mcpkit.ts";
import { makeToken, runToExit, startFake, trueppmEnv } from "./helpers.ts";

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

describe("the boot check runs once, before any transport starts", () => {
  for (const args of [["trueppm"], ["trueppm", "--transport", "http", "--port", "0"]]) {
    it(`a rejected token exits 3 with one clean line (${args.join(" ")}), never listening`, async () => {
      const before = fake.requestsTo("auth/me/").length;
      const r = await runToExit(args, trueppmEnv(fake, UNKNOWN));
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        /^mcpkit: The TruePPM API rejected the configured token \(HTTP 401\) — identity refusal \(token_identity\)\. /,
      );
      expect(r.stderr).not.toContain("listening");
      expectOneCleanLine(r.stderr, UNKNOWN);
      expect(fake.requestsTo("auth/me/").length - before).toBe(1);
    }, 20_000);
  }

  it("an instance with MCP switched off fails the boot with the policy refusal", async () => {
    fake.killSwitch = true;
    try {
      const r = await runToExit(["trueppm"], trueppmEnv(fake, TOKEN));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("Unexpected response from auth/me/: HTTP 403 — policy refusal.");
      expectOneCleanLine(r.stderr, TOKEN);
    } finally {
      fake.killSwitch = false;
    }
  }, 20_000);

  it("an unreachable API exits 4 with one clean line", async () => {
    const port = await closedPort();
    const r = await runToExit(
      ["trueppm"],
      baseEnv({ TRUEPPM_API_URL: `http://127.0.0.1:${port}`, TRUEPPM_API_TOKEN: TOKEN }),
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^mcpkit: TruePPM boot check failed: Could not reach the TruePPM API for auth\/me\/: /,
    );
    expectOneCleanLine(r.stderr, TOKEN);
  }, 20_000);

  // The other URL spellings are covered by the normalisation unit test; here the two extremes, end to end.
  const urlForms = (origin: string) => [origin, `${origin}/api/v1/`];
  for (const form of [0, 1]) {
    it(`a good token: GET /api/v1/auth/me/ once (URL form ${form + 1} of 2)`, async () => {
      const url = urlForms(fake.origin)[form]!;
      const before = fake.requests.length;
      const s = await connectStdio(["trueppm"], {
        env: baseEnv({ TRUEPPM_API_URL: url, TRUEPPM_API_TOKEN: TOKEN }),
      });
      try {
        const boot = fake.requests.slice(before);
        expect(boot.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v1/auth/me/"]);
        await s.client.callTool({ name: "list_programs", arguments: {} });
        expect(fake.requests.at(-1)!.path).toBe("/api/v1/programs/");
      } finally {
        await s.close();
      }
    }, 20_000);
  }
});
