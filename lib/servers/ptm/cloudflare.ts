import { spawn } from "node:child_process";
import { redactor } from "../../core/redact.ts";
import type { CloudflareConfig } from "./config.ts";
import { childEnvironment } from "./env-scrub.ts";

/** How a response showed that Cloudflare Access stood in the way. */
export type ChallengeKind = "redirect" | "www-authenticate" | "html";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
export const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * Recognises a Cloudflare Access challenge: a redirect to the Access login, a 401/403 that names
 * Access in WWW-Authenticate, or an HTML page with a cf-ray header where JSON was expected.
 */
export function detectChallenge(
  status: number,
  headers: Headers,
  body: string | undefined,
  expectJson: boolean,
): ChallengeKind | undefined {
  if (status >= 300 && status < 400) {
    const location = headers.get("location") ?? "";
    try {
      const url = new URL(location, "http://placeholder.invalid");
      if (url.hostname.endsWith(".cloudflareaccess.com") || url.pathname.includes("/cdn-cgi/access/"))
        return "redirect";
    } catch {
      // An unparseable Location is not a Cloudflare one.
    }
  }
  if (
    (status === 401 || status === 403) &&
    /cloudflare[- ]access/i.test(headers.get("www-authenticate") ?? "")
  )
    return "www-authenticate";
  if (expectJson && headers.has("cf-ray") && body !== undefined) {
    const type = headers.get("content-type") ?? "";
    if (type.includes("text/html") || body.trimStart().startsWith("<")) return "html";
  }
  return undefined;
}

/** Headers from explicit configuration: the service-token pair wins over a user JWT. */
export function configuredAccessHeaders(cf: CloudflareConfig): Record<string, string> {
  if (cf.clientId && cf.clientSecret)
    return { "CF-Access-Client-Id": cf.clientId, "CF-Access-Client-Secret": cf.clientSecret };
  if (cf.jwt) return { "cf-access-token": cf.jwt };
  return {};
}

/** True when no explicit credentials are set and auto-discovery is allowed. */
export function mayAutoDiscover(cf: CloudflareConfig): boolean {
  return cf.autoDiscover && !(cf.clientId && cf.clientSecret) && !cf.jwt;
}

export type DiscoveryResult = { token: string } | { failure: "not-installed" | "no-session" };

/**
 * Asks `cloudflared access token -app=<base url>` for the cached Access JWT: no shell, a 10 s limit,
 * and the scrubbed environment minus our own secrets.
 */
export function discoverAccessToken(
  baseUrl: string,
  env: Record<string, string | undefined> = process.env,
  timeoutMs = DISCOVERY_TIMEOUT_MS,
): Promise<DiscoveryResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let settled = false;
    const done = (r: DiscoveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn("cloudflared", ["access", "token", `-app=${baseUrl}`], {
      env: childEnvironment(env),
      stdio: ["ignore", "pipe", "ignore"],
      shell: false,
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      done({ failure: "no-session" });
    }, timeoutMs);
    child.stdout?.on("data", (d: Buffer) => {
      if (stdout.length < 64_000) stdout += d.toString();
    });
    child.once("error", (err: NodeJS.ErrnoException) =>
      done({ failure: err.code === "ENOENT" ? "not-installed" : "no-session" }),
    );
    child.once("close", (code) => {
      const token = stdout.trim();
      if (code === 0 && JWT_SHAPE.test(token)) {
        redactor.addSecret(token);
        done({ token });
      } else done({ failure: "no-session" });
    });
  });
}

/** The one sentence that tells the user how to get through Cloudflare Access from where they are. */
export function accessNextStep(
  baseUrl: string,
  cf: CloudflareConfig,
  discovery?: "not-installed" | "no-session" | "rejected",
): string {
  const lead = `PTM at ${baseUrl} is behind Cloudflare Access`;
  if (cf.clientId && cf.clientSecret)
    return `${lead} and refused the service token in CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET: check that the token is allowed by the application's Service Auth policy (Cloudflare Zero Trust -> Access -> Service Auth) or mint a new one.`;
  if (cf.jwt)
    return `${lead} and refused CF_ACCESS_JWT (expired?): fetch a fresh one with \`cloudflared access token -app=${baseUrl}\`, or set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET for a service token.`;
  if (!cf.autoDiscover)
    return `${lead}: set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET (service token) or CF_ACCESS_JWT, or enable PTM_CF_AUTO_DISCOVER and run \`cloudflared access login ${baseUrl}\`.`;
  if (discovery === "not-installed")
    return `${lead} and cloudflared is not on PATH: install cloudflared and run \`cloudflared access login ${baseUrl}\`, or set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET for a service token.`;
  return `${lead} and no valid login was found: run \`cloudflared access login ${baseUrl}\` and retry, or set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET for a service token.`;
}
