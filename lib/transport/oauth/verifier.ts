import { createHash } from "node:crypto";
import { OAuthError, OAuthErrorCode } from "@modelcontextprotocol/server";
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
} from "jose";
import { discoverIssuer, type IssuerMetadata } from "./issuer.ts";
import { scopesFromClaims } from "./scopes.ts";

/**
 * Asymmetric JWS algorithms only: `none` and the HMAC family (whose "key" would be the issuer's public
 * key, the classic confusion attack) are never accepted.
 */
export const ALLOWED_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

/** The issuer, its JWKS or its introspection endpoint cannot be reached: answer 503, not 401. */
export class IssuerUnavailableError extends Error {}

export interface VerifierOptions {
  issuer: URL;
  /** The audiences a token may carry (RFC 8707 resource indicators of this server), normalised. */
  audiences(): readonly string[];
  /** Client credentials for RFC 7662 introspection of opaque tokens. */
  introspectionClient?: { id: string; secret: string };
  /** Seconds of clock skew tolerated on `exp`/`nbf`/`iat`. */
  clockToleranceSec: number;
  /** Least time between two JWKS downloads when a token names an unknown key id. */
  jwksCooldownMs: number;
  /** Wait after a failed discovery before trying again. */
  retryAfterMs?: number;
  fetchFn?: typeof fetch;
}

/** A verified caller, before the gate adds what it may do. */
export interface VerifiedToken {
  subject: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  audience: string;
  issuer: string;
}

/** Compares resource identifiers as RFC 8707 says clients send them: no fragment, one trailing slash ignored. */
export function normalizeAudience(value: string): string {
  const hash = value.indexOf("#");
  const v = hash >= 0 ? value.slice(0, hash) : value;
  return v.endsWith("/") ? v.slice(0, -1) : v;
}

const invalid = (why: string) => new OAuthError(OAuthErrorCode.InvalidToken, why);

/** JOSE failures that say the token is bad (as opposed to the issuer being unreachable). */
const TOKEN_PROBLEMS: Record<string, string> = {
  ERR_JWT_EXPIRED: "the token has expired",
  ERR_JOSE_ALG_NOT_ALLOWED:
    "the token's signing algorithm is not allowed (asymmetric algorithms only, never none)",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "the token's signature does not verify",
  ERR_JWKS_NO_MATCHING_KEY: "the token is signed with a key the issuer does not publish",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "the token names no key id and the issuer publishes several keys",
  ERR_JWS_INVALID: "the token is not a well-formed JWS",
  ERR_JWT_INVALID: "the token is not a well-formed JWT",
  ERR_JOSE_NOT_SUPPORTED: "the token uses an unsupported algorithm or key type",
  ERR_JWK_INVALID: "the token names an unusable key",
};

/**
 * Verifies access tokens issued by one authorization server: JWTs locally against its JWKS (found
 * through its metadata, cached, downloaded again when a token names a key id not seen yet), and opaque
 * tokens through RFC 7662 introspection when the issuer offers it and client credentials are set.
 */
export class IssuerTokenVerifier {
  private metadata: Promise<IssuerMetadata> | undefined;
  private failedAt = 0;
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly introspected = new Map<string, { token: VerifiedToken; until: number }>();
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: VerifierOptions) {
    this.fetchFn = opts.fetchFn ?? fetchOnceMore;
  }

  /** The issuer's metadata, discovered once; a failed discovery is tried again after a pause. */
  issuerMetadata(): Promise<IssuerMetadata> {
    const retryAfter = this.opts.retryAfterMs ?? 5000;
    if (!this.metadata || (this.failedAt && Date.now() - this.failedAt >= retryAfter)) {
      this.failedAt = 0;
      this.metadata = discoverIssuer(this.opts.issuer, this.fetchFn).catch((err: unknown) => {
        this.failedAt = Date.now();
        throw new IssuerUnavailableError((err as Error).message);
      });
      this.metadata.catch(() => {});
    }
    return this.metadata;
  }

  async verify(token: string): Promise<VerifiedToken> {
    const metadata = await this.issuerMetadata();
    if (looksLikeJws(token)) return this.verifyJwt(token, metadata);
    return this.introspect(token, metadata);
  }

  private async verifyJwt(token: string, metadata: IssuerMetadata): Promise<VerifiedToken> {
    if (!metadata.jwks_uri)
      throw invalid("the issuer publishes no jwks_uri, so JWT access tokens cannot be checked");
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), {
      cooldownDuration: this.opts.jwksCooldownMs,
      timeoutDuration: 5000,
      [customFetch]: this.fetchFn,
    });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: metadata.issuer,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: this.opts.clockToleranceSec,
        requiredClaims: ["exp"],
      }));
    } catch (err) {
      throw this.joseFailure(err);
    }
    return this.accept(payload as Record<string, unknown>, metadata.issuer);
  }

  private joseFailure(err: unknown): Error {
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === "iss") return invalid("the token was issued by another issuer");
      if (err.claim === "nbf") return invalid("the token is not valid yet (nbf)");
      if (err.claim === "exp") return invalid("the token has no expiry (exp)");
      return invalid(`the token's ${err.claim} claim is invalid`);
    }
    if (err instanceof errors.JOSEError && TOKEN_PROBLEMS[err.code])
      return invalid(TOKEN_PROBLEMS[err.code]!);
    if (
      err instanceof errors.JWKSInvalid ||
      err instanceof errors.JWKSTimeout ||
      !(err instanceof errors.JOSEError)
    ) {
      return new IssuerUnavailableError(`cannot load the issuer's signing keys: ${(err as Error).message}`);
    }
    // ERR_JOSE_GENERIC: JWKS answered other than 200.
    return new IssuerUnavailableError(`cannot load the issuer's signing keys: ${err.message}`);
  }

  /** Checks what both token kinds share: audience, subject, expiry. */
  private accept(claims: Record<string, unknown>, issuer: string): VerifiedToken {
    const accepted = this.opts.audiences();
    const aud = claims.aud;
    const audiences = (typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : []).filter(
      (a): a is string => typeof a === "string",
    );
    if (!audiences.length) {
      throw invalid("the token names no audience (aud); mcpkit accepts only tokens bound to it (RFC 8707)");
    }
    const match = audiences.find((a) => accepted.includes(normalizeAudience(a)));
    if (!match)
      throw invalid(`the token is for another resource; this server accepts audience ${accepted[0]}`);
    const exp = claims.exp;
    if (typeof exp !== "number") throw invalid("the token has no expiry (exp)");
    const sub = typeof claims.sub === "string" && claims.sub ? claims.sub : undefined;
    // client_id (RFC 9068), azp (OIDC, Keycloak, Auth0), appid (Entra v1), cid (Okta)
    const clientId = [claims.client_id, claims.azp, claims.appid, claims.cid].find(
      (v): v is string => typeof v === "string" && v.length > 0,
    );
    const subject = sub ?? clientId;
    if (!subject) throw invalid("the token names no subject (sub) and no client (client_id)");
    return {
      subject,
      clientId: clientId ?? subject,
      scopes: scopesFromClaims(claims),
      expiresAt: exp,
      audience: match,
      issuer,
    };
  }

  private async introspect(token: string, metadata: IssuerMetadata): Promise<VerifiedToken> {
    const endpoint = metadata.introspection_endpoint;
    const client = this.opts.introspectionClient;
    if (!endpoint || !client) {
      throw invalid(
        endpoint
          ? "the token is not a JWT, and introspection needs MCPKIT_OAUTH_CLIENT_ID and MCPKIT_OAUTH_CLIENT_SECRET on the server"
          : "the token is not a JWT, and the issuer offers no introspection endpoint",
      );
    }
    const key = createHash("sha256").update(token).digest("base64url");
    const now = Date.now();
    const cached = this.introspected.get(key);
    if (cached && cached.until > now) return cached.token;
    if (cached) this.introspected.delete(key);

    const basic = Buffer.from(
      `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`,
    ).toString("base64");
    let res: Response;
    try {
      res = await this.fetchFn(endpoint, {
        method: "POST",
        headers: {
          authorization: `Basic ${basic}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      throw new IssuerUnavailableError(`cannot reach the introspection endpoint: ${(err as Error).message}`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new IssuerUnavailableError(
        `the introspection endpoint answered HTTP ${res.status}${res.status === 401 ? " (check MCPKIT_OAUTH_CLIENT_ID and MCPKIT_OAUTH_CLIENT_SECRET)" : ""}`,
      );
    }
    const claims = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (claims.active !== true) throw invalid("the token is not active (introspection)");
    if (claims.iss !== undefined && claims.iss !== metadata.issuer) {
      throw invalid("the token was issued by another issuer");
    }
    const skew = this.opts.clockToleranceSec;
    if (typeof claims.exp === "number" && claims.exp + skew < now / 1000)
      throw invalid("the token has expired");
    if (typeof claims.nbf === "number" && claims.nbf - skew > now / 1000) {
      throw invalid("the token is not valid yet (nbf)");
    }
    const verified = this.accept(claims, metadata.issuer);
    // A short cache: a revoked token stops working within 30 s, and a busy client costs one lookup per 30 s.
    const until = Math.min(now + 30_000, verified.expiresAt * 1000);
    if (this.introspected.size >= 1000) this.introspected.delete(this.introspected.keys().next().value!);
    this.introspected.set(key, { token: verified, until });
    return verified;
  }
}

/**
 * fetch, tried once more when the connection fails before an answer: a pooled keep-alive socket that
 * the issuer closed (a restart, a load balancer) must not turn into a refused token.
 */
const fetchOnceMore: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (err) {
    if (init?.signal?.aborted || !(err instanceof TypeError)) throw err;
    return fetch(input, init);
  }
};

/** Three dot-separated parts whose first decodes as a JOSE header: a JWS (a JWT access token). */
function looksLikeJws(token: string): boolean {
  if (token.split(".").length !== 3) return false;
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}
