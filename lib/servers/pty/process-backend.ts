import { constants } from "node:os";
import type { ExitReason } from "./session-types.ts";

/**
 * How a child ended: exactly one of exitCode / signal is non-null once it has ended, unless `reason`
 * says the status could not be known (a tmux pane that vanished), in which case both are null.
 */
export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  reason?: ExitReason;
}

export type StreamName = "pty" | "stdout" | "stderr";

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface ProcessHandlers {
  onData(chunk: Uint8Array, stream: StreamName): void;
  /** Called once, after every byte the child wrote has been delivered through onData. */
  onExit(info: ExitInfo): void;
}

/** A running child behind a terminal (or pipes, or a tmux pane), whatever the runtime offers. */
export interface ChildHandle {
  readonly pid: number;
  /** Process group to signal; the child leads its own session, so usually equal to pid. */
  readonly pgid: number;
  readonly isTty: boolean;
  write(data: Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Signals the whole process group (falls back to the child alone). */
  kill(signal: NodeJS.Signals): void;
  /** Releases descriptors and helpers; safe to call more than once. */
  dispose(): void;
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, num]) => [num as number, name]),
);

export function signalName(num: number | null | undefined): string | null {
  if (!num) return null;
  return SIGNAL_NAMES.get(num) ?? `SIG${num}`;
}

/** Sends `signal` to the group `pgid`, or to `pid` alone when the group is gone; never throws. */
export function killGroup(pgid: number, pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
    return;
  } catch {}
  try {
    process.kill(pid, signal);
  } catch {}
}

/** True while any process of group `pgid` exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True while a process with this pid exists (a zombie counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
