import { z } from "zod";
import { toCard } from "../cards.ts";
import { failure, metaTool, reply } from "./define.ts";
import { replyForError } from "./errors.ts";

const input = z.object({ server_name: z.string().min(1) }).strict();

export const provision = metaTool({
  name: "provision",
  title: "Provision",
  description: "Install and start a server.",
  input,
  hints: "openIdempotentWrite",
  async handler(args, { core }) {
    const name = args.server_name;
    if (!core.policy.serverAllowed(name)) {
      return failure(`server '${name}' is denied by policy`, {
        server: name,
        status: "failed",
        auth_state: "policy_denied",
      });
    }
    const cards = () =>
      core.catalog
        .liveTools(name)
        .slice(0, 10)
        .map((r) => toCard(r, false));
    const existing = core.servers.get(name);
    if (existing) {
      if (existing.conn?.state === "connected") {
        const data = { ok: true, server: name, status: "already_running", new_tools: cards() };
        return reply({ data, text: `${name} is already running (${data.new_tools.length} tools)` });
      }
      try {
        await core.ensureServer(name);
      } catch (err) {
        return replyForError(err, { server: name, status: "failed" });
      }
      const data = { ok: true, server: name, status: "complete", new_tools: cards() };
      return reply({ data, text: `${name} started (${data.new_tools.length} tools)` });
    }
    const entry = core.discovered.get(name) ?? core.manifest.get(name);
    if (!entry) {
      return failure(
        `'${name}' is neither configured nor in the manifest; try ${core.name("request_capability")} or ${core.name("search_registry")}`,
        { server: name, status: "failed" },
      );
    }
    if (entry.not_available) {
      return failure(`${name} cannot be provisioned: ${entry.not_available}`, {
        server: name,
        status: "not_available",
        not_available: entry.not_available,
      });
    }
    if (entry.env_var && !core.envStore.has(entry.env_var)) {
      return failure(
        `${name} needs ${entry.env_var}${entry.env_instructions ? ` (${entry.env_instructions})` : ""}: call ${core.name("auth_connect")}(server_name='${name}', credential=...) then provision again`,
        {
          server: name,
          status: "failed",
          needs_api_key: true,
          env_var: entry.env_var,
          auth_state: "missing_auth",
          next_step: `${core.name("auth_connect")}(server_name='${name}')`,
        },
      );
    }
    const job = core.jobs.start(entry, core.discovered.has(name) ? "discovered" : "manifest");
    await core.jobs.settle(job);
    const view = core.jobs.view(job);
    if (job.status === "failed") return failure(`${job.message}: ${job.error}`, { ok: false, ...view });
    const data = { ok: true, ...view, ...(job.status === "complete" ? { new_tools: cards() } : {}) };
    const text =
      job.status === "complete"
        ? `${name} is ready (${job.tools} tools); search with filters.server='${name}'`
        : `${name} is installing; poll ${core.name("provision_status")}(job_id='${job.job_id}')`;
    return reply({ data, text });
  },
});
