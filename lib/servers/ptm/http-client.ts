import { randomUUID } from "node:crypto";
import { blockedPort, blockedPortAdvice, fetchFailureReason } from "../../core/fetch-failure.ts";
import type { Logger } from "../../core/log.ts";
import {
  accessNextStep,
  configuredAccessHeaders,
  type DiscoveryResult,
  detectChallenge,
  discoverAccessToken,
  mayAutoDiscover,
} from "./cloudflare.ts";
import type { CloudflareConfig } from "./config.ts";
import { CloudflareAccessError, httpErrorMessage, PtmApiError, PtmUnreachableError } from "./errors.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface PtmRequest {
  method: HttpMethod;
  /** Root-relative path with segments already encoded. */
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Writes carry an Idempotency-Key (kept across the one Cloudflare retry). */
  write?: boolean;
  /** False for /healthz and /meta, which the contract serves without auth. */
  auth?: boolean;
  /** "text" for markdown/HTML reports; JSON otherwise. */
  expect?: "json" | "text";
  signal?: AbortSignal;
}

export interface PtmResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when JSON was expected and sent; undefined otherwise. */
  json: unknown;
  text: string;
}

export interface PtmClientOptions {
  baseUrl: string;
  token: string;
  version: string;
  timeoutMs: number;
  cloudflare: CloudflareConfig;
  log: Logger;
  /** For tests: where cloudflared is looked up and what environment it gets. */
  env?: Record<string, string | undefined>;
}

/** Builds `?a=1&b=x` from defined values; arrays repeat the key. */
export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * The one way `mcpkit ptm` talks to the PTM backend: identifying headers on every request, the
 * per-request timeout, manual redirects so Cloudflare Access challenges are visible, one retry with a
 * discovered Access token, and backend errors turned into actionable PtmApiError messages.
 */
export class PtmHttpClient {
  /** One per process, so the backend can group this agent's traffic. */
  readonly sessionId = randomUUID();
  private discoveredToken: string | undefined;
  private ready: (() => Promise<void>) | undefined;

  constructor(private readonly opts: PtmClientOptions) {}

  /**
   * Makes every `request` (tool calls, resource reads) wait for `ready` first, which throws while the
   * backend fails its start-up checks. `send`, which the checks themselves use, is not gated.
   */
  gateRequests(ready: () => Promise<void>): void {
    this.ready = ready;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  private headers(req: PtmRequest, idempotencyKey: string | undefined): Record<string, string> {
    const agent = `ptm-mcp/${this.opts.version}`;
    const h: Record<string, string> = {
      Accept: req.expect === "text" ? "text/markdown, text/html, text/plain, */*" : "application/json",
      "User-Agent": agent,
      "X-PTM-Client": agent,
      "X-PTM-MCP-Session": this.sessionId,
      ...configuredAccessHeaders(this.opts.cloudflare),
    };
    if (this.discoveredToken) h["cf-access-token"] = this.discoveredToken;
    if (req.auth !== false) h.Authorization = `Bearer ${this.opts.token}`;
    if (idempotencyKey) h["Idempotency-Key"] = idempotencyKey;
    if (req.body !== undefined) h["Content-Type"] = "application/json";
    return h;
  }

  private async fetchOnce(req: PtmRequest, idempotencyKey: string | undefined) {
    const url = `${this.opts.baseUrl}${req.path}${buildQuery(req.query)}`;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const started = Date.now();
    try {
      const res = await fetch(url, {
        method: req.method,
        headers: this.headers(req, idempotencyKey),
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        redirect: "manual",
        signal,
      });
      const text = await res.text();
      this.opts.log.debug(`${req.method} ${req.path} -> ${res.status}`, { ms: Date.now() - started });
      return { res, text };
    } catch (err) {
      if (req.signal?.aborted) throw new PtmUnreachableError("The request was cancelled by the client.");
      if (timeout.aborted)
        throw new PtmUnreachableError(
          `PTM did not answer ${req.method} ${req.path} within ${this.opts.timeoutMs / 1000} s: try again, or raise PTM_MCP_TIMEOUT_SECONDS.`,
          `no answer within ${this.opts.timeoutMs / 1000} s`,
        );
      const port = blockedPort(err, url);
      if (port)
        throw new PtmUnreachableError(
          `${blockedPortAdvice("PTM_API_BASE_URL", port)}.`,
          fetchFailureReason(err, url),
          port,
        );
      const reason = fetchFailureReason(err, url);
      throw new PtmUnreachableError(
        `Could not reach PTM at ${this.opts.baseUrl} (${reason}): check PTM_API_BASE_URL and that the backend is up.`,
        reason,
      );
    }
  }

  /**
   * Sends a request and returns whatever status came back. Throws CloudflareAccessError when Access
   * blocks the way and PtmUnreachableError when nothing answered.
   */
  async send(req: PtmRequest): Promise<PtmResponse> {
    const key = req.write ? randomUUID() : undefined;
    const expectJson = req.expect !== "text";
    let { res, text } = await this.fetchOnce(req, key);
    let challenge = detectChallenge(res.status, res.headers, text, expectJson);
    if (challenge) {
      const cf = this.opts.cloudflare;
      let discovery: DiscoveryResult | undefined;
      if (mayAutoDiscover(cf)) {
        this.opts.log.info(`Cloudflare Access challenge (${challenge}); asking cloudflared for a token`);
        discovery = await discoverAccessToken(this.opts.baseUrl, this.opts.env ?? process.env);
        if ("token" in discovery) {
          this.discoveredToken = discovery.token;
          ({ res, text } = await this.fetchOnce(req, key));
          challenge = detectChallenge(res.status, res.headers, text, expectJson);
        }
      }
      if (challenge) {
        const why = discovery ? ("failure" in discovery ? discovery.failure : "rejected") : undefined;
        if (why === "rejected") this.discoveredToken = undefined;
        throw new CloudflareAccessError(accessNextStep(this.opts.baseUrl, cf, why));
      }
    }
    let json: unknown;
    const type = res.headers.get("content-type") ?? "";
    if (expectJson && text && (type.includes("json") || /^\s*[[{]/.test(text))) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  /** Sends a request and insists on success: any non-2xx becomes a PtmApiError with the agent's hint. */
  async request(req: PtmRequest): Promise<PtmResponse> {
    await this.ready?.();
    const res = await this.send(req);
    if (res.status >= 200 && res.status < 300) {
      // A GET always carries a JSON body; an empty one is a cut-off answer, not an empty record.
      const empty = !res.text.trim();
      if (
        req.expect !== "text" &&
        res.status !== 204 &&
        res.json === undefined &&
        (!empty || req.method === "GET")
      )
        throw new PtmApiError(
          res.status,
          empty
            ? `PTM answered ${req.method} ${req.path} with an empty body (HTTP ${res.status}): try again; if it persists, check the backend or any proxy in front of it.`
            : `PTM answered ${req.method} ${req.path} with something that is not JSON (HTTP ${res.status}): check that PTM_API_BASE_URL points at the PTM API.`,
        );
      return res;
    }
    if (res.status >= 300 && res.status < 400)
      throw new PtmApiError(
        res.status,
        `PTM redirected ${req.method} ${req.path} (HTTP ${res.status}): check PTM_API_BASE_URL (scheme, host, path).`,
      );
    throw new PtmApiError(res.status, httpErrorMessage(res.status, res.json, res.headers.get("retry-after")));
  }
}
