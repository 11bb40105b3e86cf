import type {
  ClientOptions,
  DiscoverResult,
  Implementation,
  McpSubscription,
  PriorDiscovery,
  SubscriptionFilter,
} from "@modelcontextprotocol/client";
import { Client, SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { createTransport, type TransportHandle } from "./create-transport.ts";
import {
  MODERN_REVISION,
  PROBE_TIMEOUT_MS,
  type ProtocolSetting,
  UNANSWERED_PROBE_HORIZON_MS,
} from "./protocol.ts";
import type { UpstreamSpec } from "./specs.ts";

/** One initialized client on one transport. A reconnect makes a new Link; stale callbacks compare identity. */
export interface Link {
  client: Client;
  handle: TransportHandle;
  /** The protocol version agreed (`initialize`, or `server/discover` on 2026-07-28). */
  protocolVersion?: string;
  /** "modern" is 2026-07-28; "legacy" every 2025-era revision. */
  era: "modern" | "legacy";
  /** The cached verdict this link was opened with, if any (a stale modern one is dropped on failure). */
  prior?: PriorDiscovery["kind"];
  /** The 2026-07-28 `subscriptions/listen` stream carrying list_changed (none on a 2025-era link). */
  subscription?: McpSubscription;
  /** Set by closeLink: stops re-listening. */
  closed?: boolean;
}

export interface OpenLinkOptions {
  timeoutMs: number;
  clientInfo: Implementation;
  parentEnv?: Record<string, string | undefined>;
  onStderr: (chunk: Uint8Array) => void;
  onClose: (link: Link) => void;
  onError: (error: Error) => void;
  onToolListChanged: (link: Link) => void;
  /** Builds the error thrown when `timeoutMs` passes (it may quote the child's stderr). */
  timeoutError: () => Error;
  /** Gives up at once (the connection is being closed). */
  signal?: AbortSignal;
  /** A cached era verdict for this launch spec (`auto` and `2026` only): skips the probe. */
  prior?: PriorDiscovery;
  /** Told the era a probe found, to cache it (`horizonMs`: how long a 2025 verdict holds, if not the default). */
  onVerdict?: (verdict: PriorDiscovery, horizonMs?: number) => void;
}

/**
 * The era setting that applies: in-process servers (the SDK's in-memory transport) and legacy HTTP+SSE
 * servers are 2025-era links whatever the setting; neither transport exists in 2026-07-28.
 */
export function protocolOf(spec: UpstreamSpec): ProtocolSetting {
  return spec.transport === "memory" || spec.transport === "sse" ? "2025" : (spec.protocol ?? "2025");
}

function negotiation(protocol: ProtocolSetting): ClientOptions["versionNegotiation"] | undefined {
  const probe = { timeoutMs: PROBE_TIMEOUT_MS };
  if (protocol === "2026") return { mode: { pin: MODERN_REVISION }, probe };
  if (protocol === "auto") return { mode: "auto", probe };
  return undefined;
}

/** A probe that a 2025-era server answered by exiting (it ran on the connection's own process). */
function probeEndedServer(err: unknown): boolean {
  return (
    err instanceof SdkError &&
    err.code === SdkErrorCode.EraNegotiationFailed &&
    /closed during the server\/discover probe/.test(err.message)
  );
}

/**
 * Starts the transport and connects in the era the spec asks for (plain `initialize` by default),
 * under one deadline; on any failure nothing is left running. Under `auto`, a server that exits on
 * the probe is a 2025-era one: that verdict is recorded and the server started again without a probe.
 */
export async function openLink(spec: UpstreamSpec, opts: OpenLinkOptions): Promise<Link> {
  const protocol = protocolOf(spec);
  let prior = protocol === "2025" ? undefined : opts.prior;
  if (protocol === "2026" && prior?.kind === "legacy") prior = undefined;
  try {
    return await openOnce(spec, opts, protocol, prior);
  } catch (err) {
    if (protocol !== "auto" || prior || !probeEndedServer(err)) throw err;
    // Recorded only once the plain start works: a server that crashes at start is no verdict.
    const link = await openOnce(spec, opts, protocol, { kind: "legacy" });
    opts.onVerdict?.({ kind: "legacy" });
    return link;
  }
}

async function openOnce(
  spec: UpstreamSpec,
  opts: OpenLinkOptions,
  protocol: ProtocolSetting,
  prior: PriorDiscovery | undefined,
): Promise<Link> {
  let link: Link | undefined;
  let handle: TransportHandle | undefined;
  let abandoned = false;
  const run = async (): Promise<Link> => {
    handle = await createTransport(spec, { onStderr: opts.onStderr, parentEnv: opts.parentEnv });
    if (abandoned) throw new Error("abandoned");
    const versionNegotiation = negotiation(protocol);
    const client = new Client(opts.clientInfo, {
      capabilities: {},
      ...(versionNegotiation ? { versionNegotiation } : {}),
    });
    const current: Link = { client, handle, era: "legacy", ...(prior ? { prior: prior.kind } : {}) };
    link = current;
    client.onclose = () => opts.onClose(current);
    client.onerror = opts.onError;
    client.setNotificationHandler("notifications/tools/list_changed", () => opts.onToolListChanged(current));
    const connecting = performance.now();
    await client.connect(handle.transport, { timeout: opts.timeoutMs, ...(prior ? { prior } : {}) });
    if (abandoned) throw new Error("abandoned");
    current.protocolVersion = client.getNegotiatedProtocolVersion();
    current.era = client.getProtocolEra() === "modern" ? "modern" : "legacy";
    if (!prior && protocol !== "2025") {
      const discover: DiscoverResult | undefined = client.getDiscoverResult();
      if (discover) opts.onVerdict?.({ kind: "modern", discover });
      // A 2025 reached only after the whole probe timeout rests on silence: held for a shorter time.
      else if (performance.now() - connecting >= PROBE_TIMEOUT_MS)
        opts.onVerdict?.({ kind: "legacy" }, UNANSWERED_PROBE_HORIZON_MS);
      else opts.onVerdict?.({ kind: "legacy" });
    }
    if (current.era === "modern") await listen(current, opts);
    return current;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(opts.timeoutError()), opts.timeoutMs);
    onAbort = () => reject(new Error("connect abandoned: the connection is closing"));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
  const attempt = run();
  try {
    return await Promise.race([attempt, deadline]);
  } catch (err) {
    abandoned = true;
    // Whatever `run` built so far — or builds after losing the race — is torn down.
    attempt.catch(() => {}).finally(() => closeLink(link, handle));
    await closeLink(link, handle);
    throw err;
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener("abort", onAbort);
  }
}

/** Longest pause before listening again after a 2026-07-28 stream dropped. */
const RELISTEN_MAX_MS = 30_000;

/**
 * On 2026-07-28 a server sends list_changed only on a `subscriptions/listen` stream the client opened:
 * open one for whatever the server says can change, and open it again if it drops while the link lives.
 */
async function listen(link: Link, opts: OpenLinkOptions, attempt = 0): Promise<void> {
  const caps = link.client.getServerCapabilities();
  const filter: SubscriptionFilter = {
    ...(caps?.tools?.listChanged ? { toolsListChanged: true } : {}),
    ...(caps?.resources?.listChanged ? { resourcesListChanged: true } : {}),
    ...(caps?.prompts?.listChanged ? { promptsListChanged: true } : {}),
  };
  if (!Object.keys(filter).length || link.closed) return;
  try {
    const sub = await link.client.listen(filter, { timeout: opts.timeoutMs });
    link.subscription = sub;
    void sub.closed.then((reason) => {
      if (reason !== "remote" || link.closed) return;
      const delay = Math.min(RELISTEN_MAX_MS, 500 * 2 ** attempt);
      setTimeout(() => void listen(link, opts, attempt + 1), delay).unref?.();
    });
  } catch (err) {
    // Without the stream the link still works; only list changes go unnoticed.
    opts.onError(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Closes the client, its transport (killing a stdio child) and an in-memory server. Never throws. */
export async function closeLink(link: Link | undefined, handle = link?.handle): Promise<void> {
  if (link) link.closed = true;
  try {
    await link?.subscription?.close();
  } catch {}
  try {
    await link?.client.close();
  } catch {}
  try {
    await handle?.transport.close();
  } catch {}
  try {
    await handle?.server?.close();
  } catch {}
}
