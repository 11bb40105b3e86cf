import type { Implementation } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/client";
import { createTransport, type TransportHandle } from "./create-transport.ts";
import type { UpstreamSpec } from "./specs.ts";

/** One initialized client on one transport. A reconnect makes a new Link; stale callbacks compare identity. */
export interface Link {
  client: Client;
  handle: TransportHandle;
  /** The protocol version agreed in `initialize`. */
  protocolVersion?: string;
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
}

/** Starts the transport and runs `initialize` under one deadline; on any failure nothing is left running. */
export async function openLink(spec: UpstreamSpec, opts: OpenLinkOptions): Promise<Link> {
  let link: Link | undefined;
  let handle: TransportHandle | undefined;
  let abandoned = false;
  const run = async (): Promise<Link> => {
    handle = await createTransport(spec, { onStderr: opts.onStderr, parentEnv: opts.parentEnv });
    if (abandoned) throw new Error("abandoned");
    const client = new Client(opts.clientInfo, { capabilities: {} });
    const current: Link = { client, handle };
    link = current;
    // The SDK hands the negotiated version only to transports that want it; keep it for health().
    const setVersion = handle.transport.setProtocolVersion?.bind(handle.transport);
    handle.transport.setProtocolVersion = (v: string) => {
      current.protocolVersion = v;
      setVersion?.(v);
    };
    client.onclose = () => opts.onClose(current);
    client.onerror = opts.onError;
    client.setNotificationHandler("notifications/tools/list_changed", () => opts.onToolListChanged(current));
    await client.connect(handle.transport, { timeout: opts.timeoutMs });
    if (abandoned) throw new Error("abandoned");
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

/** Closes the client, its transport (killing a stdio child) and an in-memory server. Never throws. */
export async function closeLink(link: Link | undefined, handle = link?.handle): Promise<void> {
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
