import { createPublicKey } from "node:crypto";
import { createServer } from "node:net";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, connectHttp, type HttpProcess, startHttp } from "../helpers/mcpkit.ts";
import { connectAsUser, connectClientCredentials, type Era, postInitialize, runCli } from "./helpers.ts";
import {
  CLIENTS,
  makeKey,
  type RunningProvider,
  type SigningKey,
  startProvider,
  unsignedJwt,
} from "./provider.ts";

// mcpkit as an OAuth 2.1 resource server, through the real CLI (`mcpkit pty -t http|sse`) in front of a
// real OpenID provider (oidc-provider) on 127.0.0.1, with the v2 SDK client's own OAuth support.

const STATIC = "static-token-beside-oauth-1234";
const now = () => Math.floor(Date.now() / 1000);

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function description(res: Response): Promise<string> {
  const text = await res.text();
  try {
    return (JSON.parse(text) as { error_description?: string }).error_description ?? text;
  } catch {
    return text;
  }
}

describe("OAuth resource server over the CLI (JWT access tokens)", () => {
  let key: SigningKey;
  let idp: RunningProvider;
  let http: HttpProcess;
  let sse: HttpProcess;
  const tokensSeen: string[] = [];

  beforeAll(async () => {
    key = await makeKey("k1");
    idp = await startProvider({ keys: [key] });
    const env = baseEnv({ MCPKIT_AUTH_TOKEN: STATIC });
    [http, sse] = await Promise.all([
      startHttp(["pty", "-t", "http", "-p", "0", "--oauth-issuer", idp.issuer], { env }),
      startHttp(["pty", "-t", "sse", "-p", "0"], { env: { ...env, MCPKIT_OAUTH_ISSUER: idp.issuer } }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([http?.stop(), sse?.stop()]);
    await idp?.close();
  });

  it("publishes RFC 9728 metadata at the bare and path-suffixed well-known paths", async () => {
    for (const [path, resource] of [
      ["/.well-known/oauth-protected-resource", `${http.origin}/mcp`],
      ["/.well-known/oauth-protected-resource/mcp", `${http.origin}/mcp`],
      ["/.well-known/oauth-protected-resource/sse", `${http.origin}/sse`],
    ] as const) {
      const res = await fetch(`${http.origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.json()).toMatchObject({
        resource,
        authorization_servers: [idp.issuer],
        scopes_supported: ["mcp:read", "mcp:write"],
        bearer_methods_supported: ["header"],
      });
    }
    // An SSE server announces /sse: its bare document names that endpoint.
    const bare = (await (await fetch(`${sse.origin}/.well-known/oauth-protected-resource`)).json()) as {
      resource: string;
    };
    expect(bare.resource).toBe(`${sse.origin}/sse`);
  });

  it("answers 401 without a token with a challenge that points at the metadata and names the scopes", async () => {
    const res = await postInitialize(http.url);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${http.origin}/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write"`,
    );
    expect(await res.text()).toContain(idp.issuer);
    const sseRes = await fetch(`${sse.origin}/sse`);
    expect(sseRes.status).toBe(401);
    expect(sseRes.headers.get("www-authenticate")).toContain(
      `resource_metadata="${sse.origin}/.well-known/oauth-protected-resource/sse"`,
    );
  });

  it("is no authorization server: its AS paths answer 404 naming the issuer", async () => {
    for (const path of ["/.well-known/oauth-authorization-server", "/register", "/token", "/authorize"]) {
      const res = await fetch(`${http.origin}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain(`Sign in at ${idp.issuer}`);
    }
  });

  for (const era of ["2025", "2026"] as Era[]) {
    it(`client credentials: the SDK client discovers the issuer, gets a token and lists tools (${era})`, async () => {
      const client = await connectClientCredentials(http.url, CLIENTS.machine, { era, issuer: idp.issuer });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("pty_spawn");
      await client.close();
    });

    it(`authorization code + PKCE with dynamic registration, signed in headlessly (${era})`, async () => {
      const { client, authorizationUrl } = await connectAsUser(http.url, { era });
      expect(authorizationUrl.origin).toBe(idp.issuer);
      expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
      expect(authorizationUrl.searchParams.get("resource")).toBe(`${http.origin}/mcp`);
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
      await client.close();
    });
  }

  it("names the resource with the loopback name the client used (localhost or 127.0.0.1), and accepts both", async () => {
    const viaLocalhost = http.url.replace("127.0.0.1", "localhost");
    const prm = (await (
      await fetch(viaLocalhost.replace(/\/mcp$/, "/.well-known/oauth-protected-resource/mcp"))
    ).json()) as { resource: string };
    expect(prm.resource).toBe(viaLocalhost);
    const client = await connectClientCredentials(viaLocalhost, CLIENTS.machine, { issuer: idp.issuer });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it("legacy SSE: client credentials and the user flow both reach the tools", async () => {
    const machine = await connectClientCredentials(`${sse.origin}/sse`, CLIENTS.machine, {
      sse: true,
      issuer: idp.issuer,
    });
    expect((await machine.listTools()).tools.length).toBeGreaterThan(0);
    await machine.close();
    const { client } = await connectAsUser(`${sse.origin}/sse`, { sse: true });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it("still accepts the static token beside OAuth", async () => {
    const client = await connectHttp(http.url, { token: STATIC });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  const mcpAud = () => `${http.origin}/mcp`;
  const refusals: Array<{ name: string; token: () => Promise<string>; says: RegExp }> = [
    {
      name: "an expired token",
      token: () => idp.sign({ sub: "alice", aud: mcpAud(), iat: now() - 7200, exp: now() - 3600 }),
      says: /expired/,
    },
    {
      name: "a token for another audience",
      token: () => idp.sign({ sub: "alice", aud: "https://other.example/mcp" }),
      says: /another resource/,
    },
    {
      name: "a token the provider issued for another resource (RFC 8707)",
      token: () => idp.clientCredentials(CLIENTS.machine, "http://127.0.0.1:9/elsewhere"),
      says: /another resource/,
    },
    {
      name: "a token from another issuer (signed with the right key)",
      token: () => idp.sign({ sub: "alice", aud: mcpAud(), iss: "https://evil.example" }),
      says: /another issuer/,
    },
    {
      name: "a token signed with an unknown key id",
      token: async () => idp.sign({ sub: "alice", aud: mcpAud() }, { key: await makeKey("stranger") }),
      says: /key the issuer does not publish/,
    },
    {
      name: "an alg: none token",
      token: async () => unsignedJwt({ sub: "alice", aud: mcpAud(), iss: idp.issuer, exp: now() + 300 }),
      says: /algorithm is not allowed/,
    },
    {
      name: "an HS256 token keyed with the issuer's public key",
      token: async () => {
        const pem = createPublicKey({ key: key.privateJwk as never, format: "jwk" }).export({
          type: "spki",
          format: "pem",
        });
        return new SignJWT({ sub: "alice", aud: mcpAud(), iss: idp.issuer, exp: now() + 300 })
          .setProtectedHeader({ alg: "HS256", kid: key.kid })
          .sign(new TextEncoder().encode(String(pem)));
      },
      says: /algorithm is not allowed/,
    },
    {
      name: "a token without an audience",
      token: () => idp.sign({ sub: "alice" }),
      says: /names no audience/,
    },
    {
      name: "an opaque token when no introspection credentials are set",
      token: async () => "opaque-token-value-without-dots",
      says: /MCPKIT_OAUTH_CLIENT_ID/,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} with 401 invalid_token`, async () => {
      const token = await r.token();
      tokensSeen.push(token);
      const res = await postInitialize(http.url, token);
      expect(res.status).toBe(401);
      const challenge = res.headers.get("www-authenticate") ?? "";
      expect(challenge).toContain('error="invalid_token"');
      expect(challenge).toContain(
        `resource_metadata="${http.origin}/.well-known/oauth-protected-resource/mcp"`,
      );
      expect(await description(res)).toMatch(r.says);
    });
  }

  it("refuses a token in the query string even when it is valid", async () => {
    const token = await idp.clientCredentials(CLIENTS.machine, mcpAud());
    tokensSeen.push(token);
    const res = await fetch(`${http.url}?access_token=${token}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: "{}",
    });
    expect(res.status).toBe(400);
    expect(await description(res)).toMatch(/query are refused/);
    // The same token in the header works.
    expect((await postInitialize(http.url, token)).status).toBe(200);
  });

  it("binds a session to the subject that uses it: another valid token gets 'session not found'", async () => {
    const alice = await idp.sign({ sub: "alice", aud: mcpAud(), scope: "mcp:read" });
    const mallory = await idp.sign({ sub: "mallory", aud: mcpAud(), scope: "mcp:read mcp:write" });
    tokensSeen.push(alice, mallory);
    const init = await postInitialize(http.url, alice);
    expect(init.status).toBe(200);
    await init.body?.cancel();
    const sid = init.headers.get("mcp-session-id")!;
    const notify = (token: string) =>
      fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${token}`,
          "mcp-session-id": sid,
          "mcp-protocol-version": "2025-06-18",
        },
        body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
      });
    expect((await notify(alice)).status).toBe(202);
    const stolen = await notify(mallory);
    expect(stolen.status).toBe(404);
    expect(await stolen.text()).toMatch(/Session not found/);
    expect((await notify(alice)).status).toBe(202);
  });

  it("never writes a token to its log", () => {
    const log = http.stderr();
    expect(log).toContain("token refused");
    for (const t of tokensSeen) expect(log).not.toContain(t);
  });
});

describe("OAuth resource server: keys, opaque tokens, outages and configuration", () => {
  it("follows a key rotation: a token signed with a new key id makes it download the JWKS again", async () => {
    const k1 = await makeKey("old");
    const k2 = await makeKey("new");
    let idp = await startProvider({ keys: [k1] });
    const port = idp.port;
    const srv = await startHttp(["pty", "-t", "http", "-p", "0", "--oauth-issuer", idp.issuer], {
      env: baseEnv({ MCPKIT_OAUTH_JWKS_COOLDOWN_MS: "0" }),
    });
    try {
      const aud = `${srv.origin}/mcp`;
      const before = await idp.clientCredentials(CLIENTS.machine, aud);
      expect((await postInitialize(srv.url, before)).status).toBe(200);
      // The operator rotates: the new key signs, the old one is still published.
      await idp.close();
      idp = await startProvider({ keys: [k2, k1], port });
      const after = await idp.clientCredentials(CLIENTS.machine, aud);
      expect(JSON.parse(Buffer.from(after.split(".")[0]!, "base64url").toString()).kid).toBe("new");
      expect((await postInitialize(srv.url, after)).status).toBe(200);
      expect((await postInitialize(srv.url, before)).status).toBe(200);
    } finally {
      await srv.stop();
      await idp.close();
    }
  }, 60_000);

  it("checks opaque tokens through RFC 7662 introspection with the client credentials from the environment", async () => {
    const idp = await startProvider({ keys: [await makeKey("k")], format: "opaque" });
    const srv = await startHttp(["pty", "-t", "http", "-p", "0", "--oauth-issuer", idp.issuer], {
      env: baseEnv({
        MCPKIT_OAUTH_CLIENT_ID: CLIENTS.introspector.id,
        MCPKIT_OAUTH_CLIENT_SECRET: CLIENTS.introspector.secret,
      }),
    });
    try {
      const token = await idp.clientCredentials(CLIENTS.machine, `${srv.origin}/mcp`);
      expect(token.split(".")).toHaveLength(1);
      expect((await postInitialize(srv.url, token)).status).toBe(200);
      const client = await connectClientCredentials(srv.url, CLIENTS.machine, {
        era: "2026",
        issuer: idp.issuer,
      });
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
      const forged = await postInitialize(srv.url, "made-up-opaque-token");
      expect(forged.status).toBe(401);
      expect(await description(forged)).toMatch(/not active/);
      expect(srv.stderr()).not.toContain(CLIENTS.introspector.secret);
      expect(srv.stderr()).not.toContain(token);
    } finally {
      await srv.stop();
      await idp.close();
    }
  }, 60_000);

  it("answers 503 (not 401) while the issuer cannot be reached, and says so once at start", async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const srv = await startHttp(["pty", "-t", "http", "-p", "0", "--oauth-issuer", issuer]);
    try {
      const res = await postInitialize(srv.url, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
      expect(res.status).toBe(503);
      expect(await description(res)).toMatch(/authorization server cannot be reached/);
      // Discovery itself still works: the metadata names the issuer.
      const prm = (await (await fetch(`${srv.origin}/.well-known/oauth-protected-resource/mcp`)).json()) as {
        authorization_servers: string[];
      };
      expect(prm.authorization_servers).toEqual([issuer]);
      expect(srv.stderr()).toMatch(/cannot read the authorization server's metadata/);
    } finally {
      await srv.stop();
    }
  });

  it("keeps the OAuth discovery paths at 404 when no issuer is configured (static token only)", async () => {
    const srv = await startHttp(["pty", "-t", "http", "-p", "0", "--auth-token", STATIC]);
    try {
      const res = await fetch(`${srv.origin}/.well-known/oauth-protected-resource/mcp`);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/does not use OAuth/);
    } finally {
      await srv.stop();
    }
  });

  it("refuses bad OAuth settings at start with exit 2 and one line naming the flag", async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [["--oauth-issuer", "http://idp.example.com"], {}, /--oauth-issuer .* must use https/],
      [["--oauth-issuer", "not a url"], {}, /--oauth-issuer .* is not a URL/],
      [["--oauth-audience", "https://x.example/mcp"], {}, /--oauth-audience needs --oauth-issuer/],
      [["--oauth-issuer", "https://idp.example.com", "--host", "0.0.0.0"], {}, /--oauth-resource is needed/],
      [["--oauth-issuer", "https://idp.example.com", "--oauth-scopes", "admin=x"], {}, /--oauth-scopes/],
      [
        ["--oauth-issuer", "https://idp.example.com"],
        { MCPKIT_OAUTH_CLIENT_ID: "id" },
        /MCPKIT_OAUTH_CLIENT_SECRET/,
      ],
    ];
    for (const [args, env, says] of cases) {
      const { code, stderr } = await runCli(["pty", "-t", "http", "-p", "0", ...args], env);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr, args.join(" ")).toMatch(says);
      expect(stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  }, 60_000);
});
