import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudflareMode, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { connectStdio } from "../helpers/mcpkit.ts";
import { ptmEnv, runPtm, startRig, textOf } from "./helpers.ts";

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjZi10ZXN0LXVzZXIifQ.c2lnbmF0dXJlLWZvci10ZXN0cw";
const MODES: CloudflareMode[] = ["redirect", "www-authenticate", "html"];

describe("mcpkit ptm behind Cloudflare Access", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ptm-cf-"));
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** A fake `cloudflared` that records its argv and environment, then prints a token (or fails). */
  const fakeCloudflared = (name: string, ok: boolean): string => {
    const bin = join(dir, name);
    const script = ok
      ? `#!/bin/sh\nenv > "${bin}/env.txt"\necho "$@" > "${bin}/args.txt"\necho "${JWT}"\n`
      : `#!/bin/sh\necho "no login session" >&2\nexit 1\n`;
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "cloudflared"), script);
    chmodSync(join(bin, "cloudflared"), 0o755);
    return bin;
  };

  it("service token: sends CF-Access-Client-Id/Secret and never shows the secret", async () => {
    const backend = await startFakePtm({
      cloudflare: { mode: "www-authenticate", clientId: "cf-id.access", clientSecret: "cf-secret-value-789" },
    });
    try {
      const s = await connectStdio(["ptm"], {
        env: ptmEnv(backend, {
          CF_ACCESS_CLIENT_ID: "cf-id.access",
          CF_ACCESS_CLIENT_SECRET: "cf-secret-value-789",
        }),
      });
      const r = await s.client.callTool({ name: "list_providers", arguments: {} });
      expect(r.isError).toBeFalsy();
      const last = backend.requests.at(-1)!;
      expect(last.headers["cf-access-client-id"]).toBe("cf-id.access");
      expect(last.headers["cf-access-client-secret"]).toBe("cf-secret-value-789");
      expect(`${JSON.stringify(r)}${s.stderr()}`).not.toContain("cf-secret-value-789");
      await s.close();
    } finally {
      await backend.close();
    }
  }, 60_000);

  it("CF_ACCESS_JWT: sends cf-access-token", async () => {
    const backend = await startFakePtm({ cloudflare: { mode: "redirect", jwt: JWT } });
    try {
      const s = await connectStdio(["ptm"], { env: ptmEnv(backend, { CF_ACCESS_JWT: JWT }) });
      const r = await s.client.callTool({ name: "list_prompts", arguments: { limit: 2 } });
      expect(r.isError).toBeFalsy();
      expect(backend.requests.every((q) => q.headers["cf-access-token"] === JWT)).toBe(true);
      await s.close();
    } finally {
      await backend.close();
    }
  }, 60_000);

  it("auto-discovery runs `cloudflared access token -app=<url>` with a scrubbed environment and retries", async () => {
    const bin = fakeCloudflared("ok", true);
    const backend = await startFakePtm({ cloudflare: { mode: "html", jwt: JWT } });
    try {
      const s = await connectStdio(["ptm"], {
        env: ptmEnv(backend, {
          PATH: `${bin}:${process.env.PATH}`,
          PTM_CF_AUTO_DISCOVER: "true",
          AWS_SECRET_ACCESS_KEY: "aws-secret-value-123",
          GITHUB_TOKEN: "github-token-value-456",
        }),
      });
      const r = await s.client.callTool({ name: "list_providers", arguments: {} });
      expect(r.isError).toBeFalsy();
      expect(readFileSync(join(bin, "args.txt"), "utf8").trim()).toBe(`access token -app=${backend.url}`);
      const childEnv = readFileSync(join(bin, "env.txt"), "utf8");
      expect(childEnv).toContain("PATH=");
      for (const gone of ["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "PTM_API_TOKEN", backend.token])
        expect(childEnv).not.toContain(gone);
      expect(backend.requests.at(-1)!.headers["cf-access-token"]).toBe(JWT);
      expect(`${JSON.stringify(r)}${s.stderr()}`).not.toContain(JWT);
      await s.close();
    } finally {
      await backend.close();
    }
  }, 60_000);

  it("with no way through, `check` fails with the exact next step for every kind of challenge", async () => {
    const backends = await Promise.all(MODES.map((mode) => startFakePtm({ cloudflare: { mode, jwt: JWT } })));
    try {
      const runs = await Promise.all(backends.map((b) => runPtm(ptmEnv(b), ["check"])));
      runs.forEach((r, i) => {
        expect(r.code, MODES[i]).toBe(3);
        expect(r.stderr).toContain("CloudflareAccessError: PTM at");
        expect(r.stderr).toContain("behind Cloudflare Access");
        expect(r.stderr).toContain("CF_ACCESS_CLIENT_ID");
        expect(r.stderr).not.toContain("SECRET-HTML-MARKER");
        expect(r.stderr).not.toMatch(/JSON|Unexpected token/);
      });
      const failing = fakeCloudflared("fails", false);
      const [noLogin, notInstalled] = await Promise.all([
        runPtm(
          ptmEnv(backends[0]!, { PTM_CF_AUTO_DISCOVER: "true", PATH: `${failing}:${process.env.PATH}` }),
          ["check"],
        ),
        runPtm(
          ptmEnv(backends[1]!, {
            PTM_CF_AUTO_DISCOVER: "true",
            PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
          }),
          ["check"],
        ),
      ]);
      expect(noLogin.code).toBe(3);
      expect(noLogin.stderr).toContain(`cloudflared access login ${backends[0]!.url}`);
      expect(notInstalled.code).toBe(3);
      expect(notInstalled.stderr).toContain("cloudflared is not on PATH");
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  }, 60_000);

  it("a challenge mid-session becomes a CloudflareAccessError tool result, not a parse error", async () => {
    const rig = await startRig();
    try {
      for (const mode of MODES) {
        rig.backend.opts.cloudflare = { mode };
        const r = await rig.call("get_prompt", { prompt_id: "team.summarizer" });
        expect(r.isError, mode).toBe(true);
        expect(textOf(r)).toContain("CloudflareAccessError: PTM at");
        expect(textOf(r)).not.toContain("SECRET-HTML-MARKER");
      }
    } finally {
      rig.backend.opts.cloudflare = undefined;
      await rig.close();
    }
  }, 60_000);
});
