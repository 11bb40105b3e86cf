import { z } from "zod";
import { detectPlatform, which } from "../environment.ts";
import { defineTool } from "./define.ts";

export const syncEnvironment = defineTool({
  verb: "sync_environment",
  title: "Environment",
  description: "Detect platform and CLIs.",
  input: z
    .object({
      platform: z.enum(["mac", "wsl", "linux", "windows"]).optional(),
      detected_clis: z.array(z.string()).optional(),
    })
    .strict(),
  unlisted: ["platform"],
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, core) {
    const platform = args.platform ?? detectPlatform();
    const clis =
      args.detected_clis ??
      core.manifest.clis.map((c) => c.name).filter((n) => which(n, core.opts.ctx.env.PATH));
    core.environment = { platform, clis };
    const message = `Environment synced: ${platform} with ${clis.length} CLIs detected.`;
    return { data: { platform, detected_clis: clis, message }, text: `${message} ${clis.join(", ")}` };
  },
});
