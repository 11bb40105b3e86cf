import { blockedPort, fetchFailureReason } from "../../core/fetch-failure.ts";
import type { TrueppmConfig } from "./config.ts";
import {
  blockedPortError,
  foreignOrigin,
  notJson,
  tokenRejected,
  tooLarge,
  unexpectedResponse,
  unreachable,
} from "./errors.ts";

/** Query values; `undefined` ones are left out of the URL. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/**
 * The connector's only way to the network. It can send GET and nothing else: there is no method
 * parameter, and the object it returns has `get` as its single member.
 */
export interface TrueppmHttpClient {
  /**
   * GETs `target` (a path relative to the API base, e.g. `projects/`, or an absolute `next` URL on
   * the API's origin) and returns the parsed JSON body. Throws TrueppmApiError on anything else.
   */
  readonly get: (target: string, params?: QueryParams) => Promise<unknown>;
}

export const REQUEST_TIMEOUT_MS = 30_000;
/** Far above any real page (50 rows); a guard against a proxy or server that streams without end. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface HttpClientLimits {
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** The body as text, or undefined when it is larger than `cap` bytes (reading stops there). */
async function readCapped(res: Response, cap: number): Promise<string | undefined> {
  if (Number(res.headers.get("content-length") ?? 0) > cap) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** One client for the process lifetime; `fetch` pools and reuses connections underneath. */
export function createHttpClient(config: TrueppmConfig, limits: HttpClientLimits = {}): TrueppmHttpClient {
  const timeoutMs = limits.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const maxBytes = limits.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const get = async (target: string, params?: QueryParams): Promise<unknown> => {
    const absolute = /^https?:\/\//i.test(target);
    const url = new URL(target, config.apiBaseUrl);
    if (!config.isApiOrigin(url.href)) throw foreignOrigin(url.origin);
    for (const [k, v] of Object.entries(params ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    // Errors name the relative path (or the `next` URL as given), never the query or the token.
    const shown = absolute ? target : target.split("?")[0]!;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "GET",
        headers: { authorization: config.authorization(), accept: "application/json" },
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw unreachable(shown, `no answer within ${Math.round(timeoutMs / 1000)} s`);
      }
      const port = blockedPort(err, url);
      if (port) throw blockedPortError(shown, port);
      throw unreachable(shown, config.scrub(fetchFailureReason(err, url)));
    }
    const text = await readCapped(res, maxBytes);
    if (text === undefined) throw tooLarge(shown, res.status, maxBytes);
    let body: unknown;
    let parsed = false;
    try {
      body = text ? JSON.parse(text) : undefined;
      parsed = true;
    } catch {
      body = undefined;
    }
    if (res.status === 401) throw tokenRejected(body);
    if (res.status < 200 || res.status >= 300) throw unexpectedResponse(shown, res.status, body);
    // An empty 2xx body is a cut-off answer: every view returns JSON.
    if (!parsed || !text.trim()) throw notJson(shown, res.status);
    return body;
  };
  return Object.freeze({ get });
}
