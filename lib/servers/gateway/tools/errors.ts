import { errorMessage } from "../../../core/errors.ts";
import { UpstreamError } from "../../../upstream/index.ts";
import { GatewayError } from "../server-table.ts";
import { failure, type Reply } from "./define.ts";

/** Maps a failure to a result the agent can act on; never throws. */
export function replyForError(err: unknown, extra: Record<string, unknown> = {}): Reply {
  if (err instanceof GatewayError) return failure(err.message, { code: err.code, ...err.extra, ...extra });
  if (err instanceof UpstreamError) {
    const hint =
      err.kind === "closed"
        ? " The server is being restarted; retry the call."
        : err.kind === "connect"
          ? " Check the server's command, arguments and environment (gateway health shows its last error)."
          : "";
    return failure(`${err.message}.${hint}`.replace(/\.\./g, "."), {
      code: err.kind,
      server: err.server,
      ...extra,
    });
  }
  return failure(errorMessage(err), { code: "error", ...extra });
}
