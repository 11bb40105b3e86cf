import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import Provider from "oidc-provider";

/**
 * A real OpenID provider (`oidc-provider`, OpenID-certified) on 127.0.0.1 for the OAuth tests: client
 * credentials, authorization code + PKCE with its development login/consent pages (driven headlessly by
 * `authorizeHeadless`), dynamic client registration, RFC 8707 resource indicators (JWT or opaque access
 * tokens bound to the requested resource) and RFC 7662 introspection.
 */

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

export async function makeKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateJwk, privateKey };
}

export const REDIRECT_URI = "http://127.0.0.1:53682/callback";

export const CLIENTS = {
  /** client_credentials, both scopes. */
  machine: { id: "machine", secret: "machine-secret-value-1234" },
  /** client_credentials; the provider grants it the read scope only, whatever it asks for. */
  reader: { id: "reader", secret: "reader-secret-value-1234" },
  /** For mcpkit's RFC 7662 introspection calls. */
  introspector: { id: "introspector", secret: "introspector-secret-value-1234" },
};

export interface ProviderOptions {
  /** Signing keys, the first one signs (a rotation puts a new key first and keeps the old one). */
  keys: SigningKey[];
  /** Access-token format for every resource. */
  format?: "jwt" | "opaque";
  /** Reuse a port (a restart after key rotation keeps the issuer). */
  port?: number;
}

export interface RunningProvider {
  issuer: string;
  port: number;
  keys: SigningKey[];
  /** "METHOD /path" of every request the provider received, in order. */
  requests: string[];
  close(): Promise<void>;
  /** Signs an arbitrary JWT with one of this provider's keys (or any key), for negative tests. */
  sign(
    claims: Record<string, unknown>,
    opts?: { key?: SigningKey; alg?: string; kid?: string },
  ): Promise<string>;
  /** A client_credentials token from the token endpoint. */
  clientCredentials(
    client: { id: string; secret: string },
    resource: string,
    scope?: string,
  ): Promise<string>;
}

export async function startProvider(opts: ProviderOptions): Promise<RunningProvider> {
  const server: Server = createServer();
  await new Promise<void>((res) => server.listen(opts.port ?? 0, "127.0.0.1", () => res()));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const format = opts.format ?? "jwt";

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENTS.machine.id,
        client_secret: CLIENTS.machine.secret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        scope: "mcp:read mcp:write",
      },
      {
        client_id: CLIENTS.reader.id,
        client_secret: CLIENTS.reader.secret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
      },
      {
        client_id: CLIENTS.introspector.id,
        client_secret: CLIENTS.introspector.secret,
        grant_types: [],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys: opts.keys.map((k) => k.privateJwk) as never },
    cookies: { keys: ["test-cookie-key-not-secret"] },
    scopes: ["openid", "offline_access", "mcp:read", "mcp:write"],
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        // Like an IdP whose policy grants each client a subset: the reader gets mcp:read, however asked.
        getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => ({
          scope: client.clientId === CLIENTS.reader.id ? "mcp:read" : "mcp:read mcp:write",
          audience: resource,
          accessTokenTTL: 600,
          accessTokenFormat: format,
          ...(format === "jwt" ? { jwt: { sign: { alg: "RS256" } } } : {}),
        }),
      },
    },
    pkce: { required: () => true },
  });
  // The provider's own warnings (development interactions) are noise in test output.
  provider.on("server_error", () => {});
  const requests: string[] = [];
  server.on("request", (req) => requests.push(`${req.method} ${(req.url ?? "").split("?")[0]}`));
  server.on("request", provider.callback());

  const first = opts.keys[0]!;
  return {
    issuer,
    port,
    keys: opts.keys,
    requests,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
    async sign(claims, o = {}) {
      const key = o.key ?? first;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iat: now, exp: now + 300, iss: issuer, ...claims })
        .setProtectedHeader({ alg: o.alg ?? "RS256", kid: o.kid ?? key.kid, typ: "at+jwt" })
        .sign(key.privateKey);
    },
    async clientCredentials(client, resource, scope = "mcp:read mcp:write") {
      const request = () =>
        fetch(`${issuer}/token`, {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ grant_type: "client_credentials", resource, scope }),
        });
      // A pooled connection to a provider restarted on the same port fails once.
      const res = await request().catch(request);
      const body = (await res.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (!body.access_token) throw new Error(`token endpoint: ${body.error}: ${body.error_description}`);
      return body.access_token;
    },
  };
}

/** An unsigned (`alg: none`) JWT with these claims. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
}

/**
 * Plays the user in a browser: follows the authorization URL through the provider's login and consent
 * pages (form posts with its cookies) until it redirects to the client's redirect URI, and returns that URL.
 */
export async function authorizeHeadless(authorizationUrl: URL, login = "alice"): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  let url = authorizationUrl.href;
  let method = "GET";
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, {
      method,
      body,
      redirect: "manual",
      headers: {
        cookie: cookieHeader(),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.get("location");
    if (location) {
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== authorizationUrl.origin) return next;
      url = next.href;
      method = "GET";
      body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200)
      throw new Error(`authorization step ${step}: HTTP ${res.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`authorization step ${step}: no form on the page`);
    url = new URL(action.replace(/&amp;/g, "&"), url).href;
    method = "POST";
    body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
  }
  throw new Error("authorization did not finish within 12 steps");
}
