import {
  chmodSync,
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { TransportKind } from "../../core/app.ts";
import { StartupError } from "../../core/errors.ts";
import { homeDir } from "./state-dir.ts";

type Env = Record<string, string | undefined>;

/** What a running gateway writes about itself (the lock file and the instance files). */
export interface InstanceInfo {
  pid: number;
  transport: TransportKind;
  /** The MCP endpoint, once an HTTP/SSE gateway listens (absent before, and for stdio). */
  url?: string;
  started_at: string;
  version: string;
  cwd: string;
}

export interface InstanceFile {
  path: string;
  /** Undefined when the file is not a gateway's JSON (e.g. PMCP's bare pid), see `pid`. */
  info?: InstanceInfo;
  pid?: number;
  alive: boolean;
}

export const LOCK_FILE = "gateway.lock";
export const INSTANCES_DIR = "instances";

/**
 * The gateway's per-user state dir (lock, instance files, log): --lock-dir, PMCP_LOCK_DIR,
 * $XDG_STATE_HOME/mcpkit/gateway or ~/.local/state/mcpkit/gateway. Not PMCP's ~/.pmcp, whose flock-based
 * lock (held in every mode, unlinked by PMCP on exit) must not be shared with ours.
 */
export function lockDir(env: Env, flag?: unknown): string {
  if (typeof flag === "string" && flag.trim()) return flag.trim();
  if (env.PMCP_LOCK_DIR?.trim()) return env.PMCP_LOCK_DIR.trim();
  const base = env.XDG_STATE_HOME?.trim() || join(homeDir(env), ".local", "state");
  return join(base, "mcpkit", "gateway");
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reads a lock or instance file; undefined when it does not exist. Accepts PMCP's bare-pid form too. */
export function readInstanceFile(path: string): InstanceFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  let info: InstanceInfo | undefined;
  let pid: number | undefined;
  try {
    const parsed = JSON.parse(text) as InstanceInfo;
    if (parsed && typeof parsed === "object" && Number.isInteger(parsed.pid)) {
      info = parsed;
      pid = parsed.pid;
    }
  } catch {
    const n = Number(text.trim());
    if (Number.isInteger(n) && n > 0) pid = n;
  }
  return { path, info, pid, alive: pid !== undefined && pidAlive(pid) };
}

export function readLock(dir: string): InstanceFile | undefined {
  return readInstanceFile(join(dir, LOCK_FILE));
}

/** Every stdio gateway's instance file, live or stale. */
export function listInstances(dir: string): InstanceFile[] {
  const idir = join(dir, INSTANCES_DIR);
  let names: string[];
  try {
    names = readdirSync(idir).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  return names
    .map((n) => readInstanceFile(join(idir, n)))
    .filter((f): f is InstanceFile => Boolean(f))
    .sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0));
}

function writePrivate(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Creates `path` with `text` only if it does not exist, atomically and complete (never a half-written lock). */
function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.new`;
  writeFileSync(tmp, text, { mode: 0o600 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw e;
    // A filesystem without hard links: exclusive create, then write (a reader may briefly see it empty).
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e2;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return true;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function describeHolder(f: InstanceFile): string {
  const url = f.info?.url ? ` at ${f.info.url}` : "";
  const what = f.info ? `mcpkit gateway (${f.info.transport})` : "gateway (not mcpkit's format: PMCP?)";
  return `${what}, pid ${f.pid}${url}`;
}

/** What the gateway holds in the state dir while it runs; `release` removes it (idempotent). */
export interface InstanceRegistration {
  readonly path: string;
  /** Records the URL once an HTTP/SSE gateway listens. */
  setUrl(url: string): void;
  release(): void;
}

/**
 * Registers this gateway in `dir`.
 *
 * - http/sse: takes the exclusive lock `gateway.lock` (created atomically, mode 0600, JSON
 *   {pid, transport, url, started_at, version, cwd}). A lock held by a live pid stops start-up with a
 *   StartupError (exit 1) naming that pid and its URL. A lock whose pid is gone is stale: it is moved
 *   aside, checked to be the file that was read (a racing taker's fresh lock is put back), and replaced;
 *   `onWarn` hears about the take-over.
 * - stdio: no exclusive lock (every client runs its own gateway); writes `instances/<pid>.json` so
 *   status and doctor can list it. Stale instance files of dead pids are removed on the way.
 */
export function registerInstance(
  dir: string,
  info: Omit<InstanceInfo, "pid" | "started_at" | "cwd">,
  onWarn: (msg: string, fields: Record<string, unknown>) => void,
): InstanceRegistration {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const record: InstanceInfo = {
    pid: process.pid,
    transport: info.transport,
    ...(info.url ? { url: info.url } : {}),
    started_at: new Date().toISOString(),
    version: info.version,
    cwd: process.cwd(),
  };
  const path =
    info.transport === "stdio"
      ? join(dir, INSTANCES_DIR, `${process.pid}.json`)
      : takeLock(dir, record, onWarn);
  if (info.transport === "stdio") {
    mkdirSync(join(dir, INSTANCES_DIR), { recursive: true, mode: 0o700 });
    for (const f of listInstances(dir)) if (!f.alive) rmSync(f.path, { force: true });
    writePrivate(path, `${JSON.stringify(record)}\n`);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own file: a lock taken over after we were presumed dead belongs to someone else.
    if (readInstanceFile(path)?.pid === process.pid) rmSync(path, { force: true });
  };
  // A last resort for exits that skip close() (process.exit from a grace timer, an uncaught error).
  process.on("exit", release);
  return {
    path,
    setUrl(url) {
      if (released) return;
      record.url = url;
      if (readInstanceFile(path)?.pid === process.pid) writePrivate(path, `${JSON.stringify(record)}\n`);
    },
    release,
  };
}

function takeLock(
  dir: string,
  record: InstanceInfo,
  onWarn: (msg: string, fields: Record<string, unknown>) => void,
): string {
  const path = join(dir, LOCK_FILE);
  const text = `${JSON.stringify(record)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(path, text)) {
      try {
        chmodSync(path, 0o600);
      } catch {
        // Best effort: the file was created 0600 already.
      }
      return path;
    }
    const held = readInstanceFile(path);
    if (!held) continue; // released between our attempt and the read: try again
    if (held.alive && held.pid !== process.pid) {
      throw new StartupError(
        `another ${describeHolder(held)} holds ${path}: connect to it, stop it (kill ${held.pid}), or start this one with --lock-dir <other dir> (PMCP_LOCK_DIR)`,
        1,
      );
    }
    // Stale (dead pid, or not a lock at all): move it aside, make sure we moved the file we judged.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readInstanceFile(aside);
    if (moved && moved.pid !== held.pid) {
      // A racing gateway took the lock in between: give it back and look again.
      try {
        linkSync(aside, path);
      } catch {
        // It made yet another one meanwhile; ours was a duplicate of nothing.
      }
      unlinkSync(aside);
      continue;
    }
    rmSync(aside, { force: true });
    onWarn("took over a stale gateway lock", {
      lock: path,
      previous_pid: held.pid ?? null,
      ...(held.info?.url ? { previous_url: held.info.url } : {}),
    });
  }
  throw new StartupError(`could not take ${path}: it keeps changing; is another gateway starting?`, 1);
}
