import { z } from "zod";
import { errorMessage } from "../../../core/errors.ts";
import { rejectVariableName } from "../env-store.ts";
import type { ManifestEntry } from "../manifest.ts";
import { failure, metaTool, reply, withoutArgs } from "./define.ts";

const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(@[A-Za-z0-9._~^-]+)?$/;

const input = z
  .object({
    package: z.string().min(1).max(214),
    server_name: z.string().min(1),
    env_vars: z.array(z.string()).optional(),
    description: z.string().optional(),
  })
  .strict();

export const registerDiscovered = metaTool({
  name: "register_discovered_server",
  title: "Register",
  description: "Register an npm server.",
  input,
  listedInput: withoutArgs(input, ["description"]),
  hints: "idempotentWrite",
  async handler(args, { core }) {
    if (!NPM_NAME.test(args.package)) return failure(`'${args.package}' is not a valid npm package name`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(args.server_name)) {
      return failure("server_name may contain letters, digits, '.', '_' and '-' only");
    }
    if (core.servers.get(args.server_name)) return failure(`'${args.server_name}' is already configured`);
    const envVars = args.env_vars ?? [];
    for (const v of envVars) {
      const bad = rejectVariableName(v, envVars);
      if (bad) return failure(bad);
    }
    const entry = {
      name: args.server_name,
      description: args.description ?? `registry package ${args.package}`,
      keywords: [],
      command: "npx",
      args: ["-y", args.package],
      env: Object.fromEntries(envVars.slice(1).map((v) => [v, `\${${v}}`])),
      headers: {},
      package: args.package,
      package_type: "npm",
      ...(envVars[0] ? { env_var: envVars[0] } : {}),
    } satisfies ManifestEntry;
    core.discovered.set(args.server_name, entry);
    // Persisted so a restart keeps it provisionable; an unwritable project still registers for this run.
    let persisted: string | undefined;
    let warning: string | undefined;
    try {
      persisted = core.persisted.saveRegistered(entry);
    } catch (e) {
      warning = `registered for this session only: could not write ${core.persisted.registeredPath} (${errorMessage(e)})`;
    }
    const data = {
      ok: true,
      server_name: args.server_name,
      registered: true,
      ...(persisted ? { persisted_to: persisted } : { warning }),
      install_command: ["npx", "-y", args.package],
      requires_api_key: envVars.length > 0,
      next_step: `${core.name("provision")}(server_name='${args.server_name}')`,
    };
    return reply({ data, text: `registered ${args.server_name}; next: ${data.next_step}` });
  },
});
