import { z } from "zod";
import { rejectCredential, rejectVariableName } from "../env-store.ts";
import { failure, metaTool, reply, withoutArgs } from "./define.ts";

const input = z
  .object({
    server_name: z.string().min(1),
    credential: z.string().optional(),
    auth_mode: z.enum(["api_key", "url_elicitation"]).optional(),
    elicitation_id: z.string().optional(),
    elicitation_url: z.string().optional(),
    consent_acknowledged: z.boolean().optional(),
    env_var: z.string().optional(),
    scope: z.enum(["user", "project"]).optional(),
  })
  .strict();

export const authConnect = metaTool({
  name: "auth_connect",
  title: "Credential",
  description: "Store a server credential.",
  input,
  listedInput: withoutArgs(input, [
    "auth_mode",
    "elicitation_id",
    "elicitation_url",
    "consent_acknowledged",
    "scope",
  ]),
  hints: "idempotentWrite",
  async handler(args, { core }) {
    const server = args.server_name;
    if (args.auth_mode === "url_elicitation") {
      if (args.credential) return failure("url_elicitation mode stores nothing; do not pass a credential");
      if (!args.elicitation_id || !args.consent_acknowledged) {
        return failure(
          "url_elicitation needs elicitation_id and consent_acknowledged:true after the browser flow",
        );
      }
      const data = { ok: true, server, auth_state: "acknowledged", message: "acknowledged; retry the call" };
      return reply({ data, text: data.message });
    }
    const entry = core.servers.get(server);
    const declared = [
      ...(entry?.missing ?? []),
      ...[core.manifest.get(server)?.env_var, core.discovered.get(server)?.env_var].filter((v): v is string =>
        Boolean(v),
      ),
    ];
    const envVar = args.env_var ?? declared[0];
    if (!envVar) {
      return failure(`no credential variable is known for '${server}'; pass env_var`, {
        server,
        auth_state: "missing_auth",
      });
    }
    const badName = rejectVariableName(envVar, declared);
    if (badName) return failure(badName, { server, auth_state: "missing_auth" });
    if (args.credential === undefined) {
      return failure(`pass credential (the value of ${envVar})`, {
        server,
        env_var: envVar,
        auth_state: "missing_auth",
      });
    }
    const badValue = rejectCredential(args.credential);
    if (badValue) return failure(badValue, { server, env_var: envVar, auth_state: "missing_auth" });
    core.redactor.addSecret(args.credential);
    const scope = args.scope ?? "user";
    const path = core.envStore.set(envVar, args.credential, scope);
    const next = entry
      ? `${core.name("invoke")} a ${server}:: tool (it starts with the new key)`
      : `${core.name("provision")}(server_name='${server}')`;
    // A running server keeps its old environment; stop it so the next use starts with the new key.
    if (entry?.conn) await core.servers.stop(server, "credentials");
    // A server skipped for its missing variable can be indexed now.
    if (entry) core.indexer.plan([server]);
    const data = {
      ok: true,
      server,
      env_var: envVar,
      env_path: path,
      scope,
      auth_state: "stored",
      next_step: next,
    };
    return reply({ data, text: `stored ${envVar} in ${path}; next: ${next}` });
  },
});
