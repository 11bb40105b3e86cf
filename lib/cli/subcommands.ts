import { Command, Option } from "commander";
import type { OptionSpec, SubcommandContext, SubcommandSpec } from "../core/command-spec.ts";
import { createLogger } from "../core/log.ts";
import type { ServerConfig } from "../core/settings/server-config.ts";

export function optionFromSpec(o: OptionSpec): Option {
  const opt = new Option(o.flags, o.description);
  if (o.env) opt.env(o.env);
  if (o.default !== undefined) opt.default(o.default);
  if (o.choices) opt.choices(o.choices);
  return opt;
}

/** How a subcommand was reached: the server command's invoked name, its defaults under that name. */
export interface SubcommandSetting {
  invokedAs: string;
  /** The server's name, for the log scope. */
  scope?: string;
  /** Option defaults replacing the spec's (an alias's subcommandDefaults). */
  defaults?: Record<string, string | boolean>;
  /** Resolves the server command's settings (its flags on either side of the subcommand's name). */
  resolveServer?: () => Promise<ServerConfig>;
}

/** The subcommand's own flag values: its own and those of the subcommands above it, not the server's. */
function ownOptions(self: Command): Record<string, unknown> {
  const chain: Command[] = [];
  for (let c: Command | null = self; c?.parent?.parent; c = c.parent) chain.unshift(c);
  return Object.assign({}, ...chain.map((c) => c.opts()));
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (d) => {
      data += d;
    });
    process.stdin.once("end", () => resolve(data));
    process.stdin.once("error", reject);
  });
}

/**
 * A server's subcommand (`mcpkit gateway status`) from its data spec. Its flags merge with the server
 * command's (commander parses the parent's flags on either side of the subcommand name), and its code is
 * imported only when it runs.
 */
export function subcommand(spec: SubcommandSpec, setting: SubcommandSetting = { invokedAs: "" }): Command {
  const cmd = new Command(spec.name)
    .summary(spec.summary)
    .description(`${spec.summary}${spec.description ? `\n\n${spec.description}` : ""}`);
  for (const a of spec.arguments ?? []) cmd.argument(a.name, a.description);
  for (const o of spec.options ?? []) {
    const opt = optionFromSpec(o);
    const key = opt.attributeName();
    if (setting.defaults && key in setting.defaults) opt.default(setting.defaults[key]);
    cmd.addOption(opt);
  }
  if (spec.examples?.length) {
    cmd.addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}`);
  }
  for (const sub of spec.subcommands ?? []) {
    cmd.addCommand(subcommand(sub, { ...setting, defaults: undefined }));
  }
  const load = spec.load;
  if (load) {
    cmd.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      const server = setting.resolveServer ? await setting.resolveServer() : undefined;
      const ctx: SubcommandContext = {
        invokedAs: setting.invokedAs,
        args: self.args,
        options: server
          ? { ...server.shared, ...server.config, ...ownOptions(self) }
          : self.optsWithGlobals(),
        config: server?.config ?? {},
        log: createLogger({
          level: server?.shared.logLevel ?? "warn",
          format: server?.shared.logFormat ?? "text",
          scope: setting.scope || setting.invokedAs || "mcpkit",
        }),
        env: process.env as Record<string, string | undefined>,
        cwd: process.cwd(),
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        stdinIsTTY: Boolean(process.stdin.isTTY),
        readStdin,
      };
      process.exitCode = await (await load()).run(ctx);
    });
  }
  return cmd;
}

/** Subcommands do not inherit settings through addCommand; copy them down the whole tree. */
export function inheritDeep(cmd: Command): void {
  for (const sub of cmd.commands) {
    sub.copyInheritedSettings(cmd);
    inheritDeep(sub);
  }
}
