import { z } from "zod";
import { detectPlatform, which } from "../environment.ts";
import { metaTool, reply, withoutArgs } from "./define.ts";

const input = z
  .object({
    platform: z.enum(["mac", "wsl", "linux", "windows"]).optional(),
    detected_clis: z.array(z.string()).optional(),
  })
  .strict();

export const syncEnvironment = metaTool({
  name: "sync_environment",
  title: "Environment",
  description: "Detect platform and CLIs.",
  input,
  listedInput: withoutArgs(input, ["platform"]),
  hints: "idempotentWrite",
  async handler(args, { core }) {
    const platform = args.platform ?? detectPlatform();
    const clis =
      args.detected_clis ??
      core.manifest.clis.map((c) => c.name).filter((n) => which(n, core.opts.ctx.env.PATH));
    core.environment = { platform, clis };
    const message = `Environment synced: ${platform} with ${clis.length} CLIs detected.`;
    return reply({ data: { platform, detected_clis: clis, message }, text: `${message} ${clis.join(", ")}` });
  },
});
