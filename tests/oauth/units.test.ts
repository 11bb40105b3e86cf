import { describe, expect, it } from "vitest";
import { HINTS } from "../../lib/core/tools/annotations.ts";
import { isLoopbackHost } from "../../lib/transport/guard.ts";
import { resolveOAuthSettings } from "../../lib/transport/oauth/config.ts";
import { metadataUrls } from "../../lib/transport/oauth/issuer.ts";
import {
  advertisedScopes,
  missingScopeFor,
  parseScopeMap,
  scopesFromClaims,
} from "../../lib/transport/oauth/scopes.ts";
import { normalizeAudience } from "../../lib/transport/oauth/verifier.ts";

describe("scope map (--oauth-scopes)", () => {
  it("parses classes with alternatives and keeps the default for a class left out", () => {
    expect(parseScopeMap("read=files:read|mcp:read")).toEqual({
      read: ["files:read", "mcp:read"],
      write: ["mcp:write"],
    });
    expect(parseScopeMap(" write = api://x/mcp.write , read=* ")).toEqual({
      read: ["*"],
      write: ["api://x/mcp.write"],
    });
  });

  it("refuses unknown classes, empty classes, repeated classes and scopes with spaces or quotes", () => {
    expect(() => parseScopeMap("admin=x")).toThrow(/read=… and write=…/);
    expect(() => parseScopeMap("read=")).toThrow(/names no scope/);
    expect(() => parseScopeMap("read=a,read=b")).toThrow(/given twice/);
    expect(() => parseScopeMap('read=a"b')).toThrow(/not a valid OAuth scope/);
  });

  it("names the scope a caller lacks: read for read-only tools, write for the rest; write opens read", () => {
    const map = parseScopeMap("read=mcp:read,write=mcp:write");
    expect(missingScopeFor(map, ["mcp:read"], HINTS.read)).toBeUndefined();
    expect(missingScopeFor(map, ["mcp:read"], HINTS.destructive)).toBe("mcp:write");
    expect(missingScopeFor(map, ["mcp:write"], HINTS.openRead)).toBeUndefined();
    expect(missingScopeFor(map, [], HINTS.read)).toBe("mcp:read");
    expect(missingScopeFor(parseScopeMap("read=*"), [], HINTS.read)).toBeUndefined();
    // Entra: asked for api://app/mcp.write, the token's scp says mcp.write.
    const entra = parseScopeMap("read=api://app/mcp.read,write=api://app/mcp.write");
    expect(missingScopeFor(entra, ["mcp.write"], HINTS.write)).toBeUndefined();
    expect(missingScopeFor(entra, ["mcp.read"], HINTS.write)).toBe("api://app/mcp.write");
    expect(missingScopeFor(entra, ["app/mcp.read"], HINTS.read)).toBeUndefined();
    expect(advertisedScopes(parseScopeMap("read=*,write=w"))).toEqual(["w"]);
  });

  it("reads scopes from scope, scp and roles", () => {
    expect(scopesFromClaims({ scope: "a b", scp: ["c"], roles: ["d"], other: "e" })).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
    expect(scopesFromClaims({})).toEqual([]);
  });
});

describe("issuer and audience helpers", () => {
  it("looks for metadata by OpenID discovery, then RFC 8414's path-inserted form", () => {
    expect(metadataUrls(new URL("https://idp.example.com")).map((u) => u.href)).toEqual([
      "https://idp.example.com/.well-known/openid-configuration",
      "https://idp.example.com/.well-known/oauth-authorization-server",
    ]);
    expect(metadataUrls(new URL("https://kc.example.com/realms/mcp")).map((u) => u.href)).toEqual([
      "https://kc.example.com/realms/mcp/.well-known/openid-configuration",
      "https://kc.example.com/.well-known/oauth-authorization-server/realms/mcp",
    ]);
  });

  it("compares audiences without fragment and one trailing slash", () => {
    expect(normalizeAudience("https://x.example/mcp/")).toBe("https://x.example/mcp");
    expect(normalizeAudience("https://x.example/mcp#a")).toBe("https://x.example/mcp");
    expect(normalizeAudience("api://abc")).toBe("api://abc");
  });
});

describe("OAuth settings", () => {
  const resolve = (flags: Record<string, unknown>, env: Record<string, string> = {}, host = "127.0.0.1") =>
    resolveOAuthSettings(flags, env, host, isLoopbackHost);

  it("is off without an issuer", () => {
    expect(resolve({})).toBeUndefined();
  });

  it("keeps the issuer as written, splits audiences and reads introspection credentials from the environment", () => {
    const s = resolve(
      { oauthIssuer: "https://tenant.auth0.com/", oauthAudience: "https://api.example.com, api://x" },
      { MCPKIT_OAUTH_CLIENT_ID: "rs", MCPKIT_OAUTH_CLIENT_SECRET: "s3cret-value" },
    )!;
    expect(s.issuerId).toBe("https://tenant.auth0.com/");
    expect(s.audiences).toEqual(["https://api.example.com", "api://x"]);
    expect(s.introspectionClient).toEqual({ id: "rs", secret: "s3cret-value" });
    expect(s.jwksCooldownMs).toBe(30_000);
  });

  it("needs --oauth-resource off loopback, and https everywhere but localhost", () => {
    expect(() => resolve({ oauthIssuer: "https://idp.example.com" }, {}, "0.0.0.0")).toThrow(
      /--oauth-resource/,
    );
    expect(
      resolve(
        { oauthIssuer: "https://idp.example.com", oauthResource: "https://mcp.example.com/mcp" },
        {},
        "0.0.0.0",
      )?.resource?.href,
    ).toBe("https://mcp.example.com/mcp");
    expect(() => resolve({ oauthIssuer: "http://idp.example.com" })).toThrow(/https/);
    expect(() => resolve({ oauthIssuer: "https://idp.example.com?x=1" })).toThrow(/query/);
    expect(() =>
      resolve({ oauthIssuer: "https://i.example", oauthResource: "http://mcp.example.com/mcp" }),
    ).toThrow(/--oauth-resource .* must use https/);
  });

  it("never puts the introspection secret in an error", () => {
    try {
      resolve({ oauthIssuer: "https://idp.example.com" }, { MCPKIT_OAUTH_CLIENT_SECRET: "do-not-print-me" });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/MCPKIT_OAUTH_CLIENT_ID is missing/);
      expect((e as Error).message).not.toContain("do-not-print-me");
    }
  });
});
