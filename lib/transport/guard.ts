import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ConfigError } from "../core/errors.ts";
import type { HttpOptions } from "./options.ts";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** True for names and addresses that only reach this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith(".localhost");
}

/** Hostname part of a Host header value ("127.0.0.1:3000" → "127.0.0.1", "[::1]:80" → "::1"). */
export function hostnameOf(hostHeader: string): string {
  const v = hostHeader.trim();
  if (v.startsWith("[")) return v.slice(1, v.indexOf("]") > 0 ? v.indexOf("]") : undefined);
  const colon = v.lastIndexOf(":");
  return colon > 0 && v.indexOf(":") === colon ? v.slice(0, colon) : v;
}

/**
 * DNS-rebinding protection for loopback binds: the Host (and Origin, when sent) must name this
 * machine. Port-agnostic on purpose, so proxies and port 0 binds work.
 */
export function checkHostAndOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (!host || !isLoopbackHost(hostnameOf(host))) return "Host header is not a loopback name";
  const origin = req.headers.origin;
  if (origin && origin !== "null") {
    let name: string;
    try {
      name = new URL(origin).hostname;
    } catch {
      return "Origin header is malformed";
    }
    if (!isLoopbackHost(name)) return "Origin is not a loopback origin";
  }
  return undefined;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time check of `Authorization: Bearer <token>` (hashing first hides the length). */
export function checkBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  const given = m ? m[1]!.trim() : "";
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/** Refuses a non-loopback bind without a token unless the user opted out explicitly. */
export function assertBindAllowed(
  opts: Pick<HttpOptions, "host" | "authToken" | "allowUnauthenticated" | "oauth">,
): void {
  if (!isLoopbackHost(opts.host) && !opts.authToken && !opts.oauth && !opts.allowUnauthenticated) {
    throw new ConfigError(
      `refusing to listen on ${opts.host} without a token: set --auth-token (or MCPKIT_AUTH_TOKEN) or --oauth-issuer, or pass --allow-unauthenticated`,
    );
  }
}
