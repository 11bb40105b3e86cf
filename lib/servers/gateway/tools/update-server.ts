import { z } from "zod";
import { errorMessage } from "../../../core/errors.ts";
import { launchPackage, runTool } from "../launch-package.ts";
import { failure, metaTool, reply, withoutArgs } from "./define.ts";
import { replyForError } from "./errors.ts";

/** `docker pull` may download hundreds of megabytes. */
const PULL_TIMEOUT_MS = 300_000;
const VERSION_PROBE_TIMEOUT_MS = 15_000;

/** The registry's latest version of an npm package, or undefined when npm cannot say (offline). */
async function latestNpmVersion(name: string): Promise<string | undefined> {
  if (process.platform === "win32") return undefined;
  try {
    const out = (await runTool("npm", ["view", name, "version"], VERSION_PROBE_TIMEOUT_MS)).trim();
    return /^\d+\.\d+\.\d+\S*$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

const input = z.object({ server_name: z.string().min(1), force: z.boolean().optional() }).strict();

export const updateServer = metaTool({
  name: "update_server",
  title: "Update",
  description: "Update and restart a server.",
  input,
  listedInput: withoutArgs(input, ["force"]),
  hints: "openWrite",
  async handler(args, { core }) {
    const entry = core.servers.get(args.server_name);
    if (!entry) return failure(`server '${args.server_name}' is not configured or provisioned`);
    const raw = entry.raw;
    const pkg = raw.transport === "stdio" ? launchPackage(raw.command, raw.args) : undefined;
    if (!pkg || raw.transport !== "stdio") {
      return failure(
        `only servers launched by npx, uvx or docker run can be updated; '${args.server_name}' is not one`,
        { server: args.server_name, package_type: "unknown" },
      );
    }
    if (pkg.pinned) {
      return failure(`${pkg.name} is pinned to ${pkg.version} in its config; change the pin to update`, {
        server: args.server_name,
        package_type: pkg.type,
        package_name: pkg.name,
      });
    }
    const busy = core.pending.list(args.server_name);
    if (busy.length && !args.force) {
      return failure(`${busy.length} call(s) in flight on ${args.server_name}; pass force:true`, {
        server: args.server_name,
        pending_requests: busy.length,
      });
    }
    const latest = pkg.type === "npm" ? latestNpmVersion(pkg.name) : Promise.resolve(undefined);
    if (pkg.type === "docker") {
      // The image is pulled before anything stops, so a failed pull leaves the server as it was.
      try {
        await runTool(raw.command, ["pull", raw.args[pkg.index]!], PULL_TIMEOUT_MS);
      } catch (err) {
        return failure(`could not pull the image of ${args.server_name}: ${errorMessage(err)}`, {
          server: args.server_name,
          package_type: "docker",
          package_name: pkg.name,
          restarted: false,
        });
      }
    }
    for (const c of busy) c.controller.abort(new Error("cancelled by update_server"));
    const nextArgs = [...raw.args];
    if (pkg.type !== "docker") nextArgs[pkg.index] = `${pkg.name}@latest`;
    const spec = { ...raw, args: nextArgs };
    await core.servers.remove(args.server_name);
    core.catalog.dropLive(args.server_name);
    core.servers.add(spec, entry.origin, entry.eager);
    const base = { server: args.server_name, package_type: pkg.type, package_name: pkg.name };
    try {
      await core.ensureServer(args.server_name);
    } catch (err) {
      return replyForError(err, { ...base, restarted: false });
    }
    const latestVersion = await latest;
    const data = {
      ok: true,
      ...base,
      restarted: true,
      ...(latestVersion ? { latest_version: latestVersion } : {}),
      cancelled_request_count: busy.length,
      tools: core.catalog.liveTools(args.server_name).length,
    };
    const what = pkg.type === "docker" ? `a freshly pulled ${pkg.name}` : `${pkg.name}@latest`;
    return reply({ data, text: `${args.server_name} restarted on ${what} (${data.tools} tools)` });
  },
});
