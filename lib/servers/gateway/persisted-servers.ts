import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { errorMessage } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import { type ManifestEntry, ManifestEntrySchema } from "./manifest.ts";
import { readStructuredFile } from "./structured-file.ts";

/** `<project>/.mcp-gateway/registered.json`: registry results made provisionable in this project. */
const RegisteredSchema = z.object({ version: z.literal(1), servers: z.array(ManifestEntrySchema) }).strict();

const ProvisionedRow = z
  .object({
    name: z.string().min(1),
    origin: z.enum(["manifest", "discovered"]),
    provisioned_at: z.string(),
    /** The launch entry for a discovered server (a manifest server is looked up by name). */
    entry: ManifestEntrySchema.optional(),
  })
  .strict();
export type ProvisionedServer = z.output<typeof ProvisionedRow>;

/** `~/.config/pmcp/provisioned.json` (PMCP's file): servers provisioned once stay known across restarts. */
const ProvisionedSchema = z.object({ version: z.literal(1), servers: z.array(ProvisionedRow) }).strict();

/** Writes through a temporary file and a rename, so a crash never leaves half a file behind. */
function writeAtomically(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * The gateway's memory of servers added at run time. PMCP keeps registry-discovered servers in memory
 * only, so a restart forgets them; here a registration is written to the project and a successful
 * provision to the user's config dir, and both are read back at start-up. A file that cannot be parsed
 * is reported (file, line, reason) and ignored rather than stopping the gateway: it is state the gateway
 * wrote, and the next write replaces it.
 */
export class PersistedServers {
  readonly registeredPath: string;
  readonly provisionedPath: string;
  /** Problems found while reading, for health and logs. */
  readonly problems: string[] = [];

  constructor(
    projectRoot: string,
    userConfigDir: string,
    private readonly log: Logger,
  ) {
    this.registeredPath = join(projectRoot, ".mcp-gateway", "registered.json");
    this.provisionedPath = join(userConfigDir, "provisioned.json");
  }

  private read<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> | undefined {
    if (!existsSync(file)) return undefined;
    try {
      return readStructuredFile(file, schema, what);
    } catch (e) {
      const msg = `${errorMessage(e)}; ignored (the next change rewrites it)`;
      this.problems.push(msg);
      this.log.warn(msg);
      return undefined;
    }
  }

  registered(): ManifestEntry[] {
    return this.read(this.registeredPath, RegisteredSchema, "registered servers")?.servers ?? [];
  }

  provisioned(): ProvisionedServer[] {
    return this.read(this.provisionedPath, ProvisionedSchema, "provisioned servers")?.servers ?? [];
  }

  /** Adds or replaces a registration; returns the file written. */
  saveRegistered(entry: ManifestEntry): string {
    const servers = this.registered().filter((e) => e.name !== entry.name);
    servers.push(entry);
    writeAtomically(this.registeredPath, { version: 1, servers });
    return this.registeredPath;
  }

  /** Records a successful provision (idempotent per name). */
  saveProvisioned(row: ProvisionedServer): string {
    const servers = this.provisioned().filter((r) => r.name !== row.name);
    servers.push(row);
    writeAtomically(this.provisionedPath, { version: 1, servers });
    return this.provisionedPath;
  }
}
