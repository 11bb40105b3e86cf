import type { LeaseBook } from "./leases.ts";
import type { PtySession } from "./session.ts";

const secs = (ms: number | null | undefined) => (ms == null ? null : ms / 1000);

/** Exit status as every tool reports it. */
export function exitFields(s: PtySession) {
  return {
    running: s.running,
    exit_code: s.exit?.exitCode ?? null,
    signal: s.exit?.signal ?? null,
    exit_reason: s.exit?.reason ?? null,
    ended_at: secs(s.exit?.endedAt),
  };
}

function leaseFields(s: PtySession, leases: LeaseBook) {
  const group = leases.group(s);
  return {
    attached: s.attachedClientId !== null,
    attached_client_id: s.attachedClientId,
    workspace_attached_client_id: s.meta.tmuxWorkspace ? leases.holder(s) : null,
    workspace_session_count: s.meta.tmuxWorkspace ? group.length : null,
    ...s.audit,
    recovered: s.recovered,
    recovered_at: secs(s.recoveredAt),
  };
}

/** The pty_list row. */
export function listEntry(s: PtySession, leases: LeaseBook) {
  return {
    session_id: s.id,
    name: s.meta.name,
    pid: s.pid,
    pgid: s.pgid,
    ...exitFields(s),
    command: s.meta.command,
    cwd: s.meta.cwd,
    cols: s.meta.cols,
    rows: s.meta.rows,
    tag: s.meta.tag,
    owner: s.meta.owner,
    scope: s.meta.scope,
    backend: s.meta.backend,
    tmux_workspace: s.meta.tmuxWorkspace,
    created_at: secs(s.meta.createdAt),
    last_active: secs(s.lastActive),
    buffer_bytes: s.rings.pty.size,
    bytes_read: s.bytesRead,
    bytes_written: s.bytesWritten,
    ...leaseFields(s, leases),
  };
}

/** The full pty_status record (pty-mcp's fields plus exit signal, dropped bytes and lease state). */
export function statusRecord(s: PtySession, leases: LeaseBook, reader: string) {
  const r = s.rings;
  return {
    ...listEntry(s, leases),
    separate_streams: s.meta.separateStreams,
    tty_mode: s.meta.ttyMode,
    stdout_buffer_bytes: r.stdout.size,
    stderr_buffer_bytes: r.stderr.size,
    buf_start_offset: r.pty.startOffset,
    buf_total_offset: r.pty.totalOffset,
    stdout_start_offset: r.stdout.startOffset,
    stdout_total_offset: r.stdout.totalOffset,
    stderr_start_offset: r.stderr.startOffset,
    stderr_total_offset: r.stderr.totalOffset,
    dropped_bytes: r.pty.droppedBytes,
    unread_bytes: s.pending(reader, "pty"),
    read_offset: s.cursor(reader, "pty"),
    max_output_bytes: s.limits.max_output_bytes,
    max_runtime_sec: s.limits.spawn_timeout_sec,
    rate_limit_bps: s.limits.rate_limit_bps,
    rate_dropped: s.rateDropped,
    input_rate_bps: s.limits.input_rate_bps,
    input_dropped: s.inputDropped,
    read_timeout_ms: s.limits.read_timeout_ms,
    truncated: r.pty.droppedBytes > 0 || r.stdout.droppedBytes > 0 || r.stderr.droppedBytes > 0,
  };
}
