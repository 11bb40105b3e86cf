import { z } from "zod";
import { defineTool, failure } from "./define.ts";
import { replyForError } from "./errors.ts";

/** npm package of an `npx [-y] pkg` launch, and whether it is pinned to a version. */
function npxPackage(command: string, args: string[]): { name: string; pinned: boolean } | undefined {
  if (!/(^|[\\/])npx(\.cmd)?$/.test(command)) return undefined;
  const pkg = args.find((a) => !a.startsWith("-"));
  if (!pkg) return undefined;
  const at = pkg.lastIndexOf("@");
  const name = at > 0 ? pkg.slice(0, at) : pkg;
  const version = at > 0 ? pkg.slice(at + 1) : "";
  return { name, pinned: version !== "" && version !== "latest" };
}

export const updateServer = defineTool({
  verb: "update_server",
  title: "Update",
  description: "Update and restart a server.",
  input: z.object({ server_name: z.string().min(1), force: z.boolean().optional() }).strict(),
  unlisted: ["force"],
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, core) {
    const entry = core.servers.get(args.server_name);
    if (!entry) return failure(`server '${args.server_name}' is not configured or provisioned`);
    const raw = entry.raw;
    const pkg = raw.transport === "stdio" ? npxPackage(raw.command, raw.args) : undefined;
    if (!pkg || raw.transport !== "stdio") {
      return failure(`only npx-launched servers can be updated here; '${args.server_name}' is not one`, {
        package_type: "unknown",
      });
    }
    if (pkg.pinned)
      return failure(`${pkg.name} is pinned to a version in its config; change the pin to update`);
    const busy = core.pending.list(args.server_name);
    if (busy.length && !args.force)
      return failure(`${busy.length} call(s) in flight on ${args.server_name}; pass force:true`);
    for (const c of busy) c.controller.abort(new Error("cancelled by update_server"));
    const spec = { ...raw, args: raw.args.map((a) => (a === pkg.name ? `${pkg.name}@latest` : a)) };
    const origin = entry.origin;
    await core.servers.remove(args.server_name);
    core.servers.add(spec, origin, entry.eager);
    try {
      await core.ensureServer(args.server_name);
    } catch (err) {
      return replyForError(err, { server: args.server_name, package_name: pkg.name, restarted: false });
    }
    const data = {
      ok: true,
      server: args.server_name,
      package_type: "npm",
      package_name: pkg.name,
      restarted: true,
    };
    return { data, text: `${args.server_name} restarted on ${pkg.name}@latest` };
  },
});
