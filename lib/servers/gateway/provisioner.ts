import { randomBytes } from "node:crypto";
import { errorMessage } from "../../core/errors.ts";
import type { UpstreamSpec } from "../../upstream/index.ts";
import { toCard } from "./cards.ts";
import type { GatewayCore } from "./core.ts";
import type { ManifestEntry } from "./manifest.ts";

export type JobStatus = "pending" | "installing" | "complete" | "failed";

export interface ProvisionJob {
  job_id: string;
  server: string;
  status: JobStatus;
  started: number;
  finished?: number;
  message: string;
  error?: string;
  tools?: number;
  done: Promise<void>;
}

/** How long provision waits for readiness before handing back a job id to poll. */
const INLINE_WAIT_MS = 8_000;
/** npx may have to download the package first. */
const INSTALL_CONNECT_TIMEOUT_MS = 180_000;

/** The launch spec of a manifest (or registry-discovered) server; its credential is passed explicitly. */
export function specFromManifest(entry: ManifestEntry): UpstreamSpec {
  const env = { ...entry.env };
  if (entry.env_var && !(entry.env_var in env) && entry.command) env[entry.env_var] = `\${${entry.env_var}}`;
  if (entry.url) {
    return {
      name: entry.name,
      transport: entry.transport ?? "http",
      url: entry.url,
      headers: { ...entry.headers },
      lazy: true,
      source: "manifest",
    };
  }
  return {
    name: entry.name,
    transport: "stdio",
    command: entry.command!,
    args: entry.args,
    env,
    ...(entry.cwd ? { cwd: entry.cwd } : {}),
    lazy: true,
    connectTimeoutMs: INSTALL_CONNECT_TIMEOUT_MS,
    source: "manifest",
  };
}

/**
 * Provisioning: a manifest server becomes a configured one and is started; readiness is a successful MCP
 * initialize plus tools/list, not a log line. Short starts finish inline; slow installs return a job id.
 */
export class ProvisionJobs {
  private readonly jobs = new Map<string, ProvisionJob>();
  private closed = false;

  constructor(private readonly core: GatewayCore) {}

  get(id: string): ProvisionJob | undefined {
    return this.jobs.get(id);
  }

  /** A running job for this server, so repeated provision calls share one start. */
  active(server: string): ProvisionJob | undefined {
    return [...this.jobs.values()].find(
      (j) => j.server === server && (j.status === "pending" || j.status === "installing"),
    );
  }

  start(entry: ManifestEntry, origin: "manifest" | "discovered"): ProvisionJob {
    const existing = this.active(entry.name);
    if (existing) return existing;
    const job: ProvisionJob = {
      job_id: randomBytes(4).toString("hex"),
      server: entry.name,
      status: "installing",
      started: Date.now(),
      message: `starting ${entry.command ? [entry.command, ...entry.args].join(" ") : entry.url}`,
      done: Promise.resolve(),
    };
    this.jobs.set(job.job_id, job);
    if (!this.core.servers.get(entry.name)) this.core.servers.add(specFromManifest(entry), origin, false);
    job.done = this.core.ensureServer(entry.name).then(
      ({ records }) => {
        job.status = "complete";
        job.tools = records.length;
        job.message = `server '${entry.name}' is ready with ${records.length} tools`;
        job.finished = Date.now();
        this.remember(entry, origin);
      },
      (err) => {
        job.status = "failed";
        job.error = errorMessage(err);
        job.message = `server '${entry.name}' failed to start`;
        job.finished = Date.now();
        // Leave nothing half-started; a later provision starts clean.
        if (!this.closed) void this.core.servers.remove(entry.name);
      },
    );
    return job;
  }

  /** A provisioned server stays known after a restart; failing to record it is logged, not fatal. */
  private remember(entry: ManifestEntry, origin: "manifest" | "discovered"): void {
    try {
      this.core.persisted.saveProvisioned({
        name: entry.name,
        origin,
        provisioned_at: new Date().toISOString(),
        ...(origin === "discovered" ? { entry } : {}),
      });
    } catch (err) {
      this.core.log.warn("could not record the provisioned server", {
        server: entry.name,
        error: errorMessage(err),
      });
    }
  }

  /** Waits briefly for a job; resolves either way. */
  async settle(job: ProvisionJob, ms = INLINE_WAIT_MS): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([job.done, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  view(job: ProvisionJob): Record<string, unknown> {
    const now = job.finished ?? Date.now();
    const out: Record<string, unknown> = {
      job_id: job.job_id,
      server: job.server,
      status: job.status,
      progress: job.status === "complete" ? 100 : job.status === "failed" ? 0 : 50,
      message: job.message,
      elapsed_seconds: Math.round((now - job.started) / 100) / 10,
    };
    if (job.error) out.error = job.error;
    if (job.status === "complete") {
      out.new_tools = this.core.catalog
        .liveTools(job.server)
        .slice(0, 10)
        .map((r) => toCard(r, false).tool_id);
    }
    return out;
  }

  close(): void {
    this.closed = true;
  }
}
