import { spawn } from "node:child_process";
import {
  Client,
  ClientCredentialsProvider,
  type OAuthClientProvider,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import { baseEnv, mcpkitCommand, ROOT } from "../helpers/mcpkit.ts";
import { authorizeHeadless, REDIRECT_URI } from "./provider.ts";

export type Era = "2025" | "2026";

function newClient(era: Era): Client {
  return era === "2026"
    ? new Client(
        { name: "oauth-test", version: "0.0.0" },
        { versionNegotiation: { mode: { pin: "2026-07-28" } } },
      )
    : new Client({ name: "oauth-test", version: "0.0.0" });
}

function transportFor(url: string, authProvider: OAuthClientProvider, sse = false) {
  return sse
    ? new SSEClientTransport(new URL(url), { authProvider })
    : new StreamableHTTPClientTransport(new URL(url), { authProvider });
}

/** The SDK client with its client-credentials provider: discovery, token request and retry are the SDK's. */
export async function connectClientCredentials(
  url: string,
  client: { id: string; secret: string },
  opts: { era?: Era; sse?: boolean; issuer: string },
): Promise<Client> {
  const authProvider = new ClientCredentialsProvider({
    clientId: client.id,
    clientSecret: client.secret,
    expectedIssuer: opts.issuer,
  });
  const c = newClient(opts.era ?? "2025");
  await c.connect(transportFor(url, authProvider, opts.sse));
  return c;
}

/**
 * A user-facing OAuth client (authorization code + PKCE, dynamic registration), kept in memory. The
 * "browser" is authorizeHeadless, which signs in on the provider's pages and returns the redirect.
 */
export class HeadlessUserProvider implements OAuthClientProvider {
  private info: unknown;
  private stored: unknown;
  private verifier = "";
  private discovery: unknown;
  lastState = "";
  redirected?: URL;
  readonly redirectUrl = REDIRECT_URI;
  readonly clientMetadata = {
    client_name: "mcpkit oauth test",
    redirect_uris: [REDIRECT_URI],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    application_type: "native",
  };
  clientInformation() {
    return this.info as never;
  }
  saveClientInformation(info: unknown) {
    this.info = info;
  }
  tokens() {
    return this.stored as never;
  }
  saveTokens(tokens: unknown) {
    this.stored = tokens;
  }
  state() {
    this.lastState = crypto.randomUUID();
    return this.lastState;
  }
  saveDiscoveryState(state: unknown) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery as never;
  }
  redirectToAuthorization(url: URL) {
    this.redirected = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** Runs the whole user flow against `url`: 401 → discovery → registration → sign-in → code → token → connect. */
export async function connectAsUser(
  url: string,
  opts: { era?: Era; sse?: boolean; login?: string } = {},
): Promise<{ client: Client; provider: HeadlessUserProvider; authorizationUrl: URL }> {
  const provider = new HeadlessUserProvider();
  const first = transportFor(url, provider, opts.sse);
  let refused: unknown;
  try {
    await newClient(opts.era ?? "2025").connect(first);
  } catch (err) {
    refused = err;
  }
  if (!(refused instanceof UnauthorizedError) || !provider.redirected) {
    throw new Error(`expected the SDK to start the authorization flow, got: ${String(refused)}`);
  }
  const authorizationUrl = provider.redirected;
  const callback = await authorizeHeadless(authorizationUrl, opts.login);
  if (callback.searchParams.get("state") !== provider.lastState) throw new Error("state mismatch");
  await (first as { finishAuth(p: URLSearchParams): Promise<void> }).finishAuth(callback.searchParams);
  const client = newClient(opts.era ?? "2025");
  await client.connect(transportFor(url, provider, opts.sse));
  return { client, provider, authorizationUrl };
}

/** POSTs an `initialize` (2025 era) with an optional bearer token, for status and challenge checks. */
export function postInitialize(url: string, token?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });
}

/** Runs `mcpkit <args>` to its exit (for start-up failures), with a deadline. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const cmd = mcpkitCommand();
  const child = spawn(cmd.command, [...cmd.args, ...args], {
    env: baseEnv(env),
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((res) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      res({ code, stderr });
    }),
  );
}
