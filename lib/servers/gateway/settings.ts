import { bool, choice, custom, int, text, url } from "../../core/settings/declare.ts";
import { parseDuration } from "./duration.ts";

// The settings of `mcpkit gateway` (PMCP's variables where PMCP had one). Started as `pmcp`, the alias
// profile in command.ts changes some defaults and adds PMCP's variables for the shared settings. The
// README's settings table is generated from this list.

export const gatewaySettings = {
  config: text({
    flag: "--config <path>",
    env: ["PMCP_CONFIG"],
    description: "extra .mcp.json to read (lowest precedence)",
  }),
  policy: text({
    flag: "--policy <path>",
    env: ["PMCP_POLICY"],
    defaultText: "discovered (see Policy)",
    description: "policy file (YAML or JSON); errors are fatal",
  }),
  project: text({
    flag: "--project <dir>",
    defaultText: "nearest ancestor with .mcp.json/.git",
    description: "project root",
  }),
  toolNames: choice(["default", "dotted"], {
    flag: "--tool-names <style>",
    env: ["PMCP_TOOL_NAMES"],
    default: "default",
    description: "meta-tool naming: `default` → gateway_<verb>, `dotted` → gateway.<verb>",
  }),
  guidance: choice(["off", "minimal", "standard"], {
    flag: "--guidance <level>",
    env: ["PMCP_GUIDANCE"],
    defaultText: "the guidance file's level, else minimal",
    description:
      "code-execution guidance: instructions, card hints, describe snippets, the pmcp://guidance/code-execution resource",
  }),
  manifest: text({
    flag: "--manifest <path>",
    env: ["PMCP_MANIFEST_PATH"],
    description: "manifest overlay (JSON/YAML); entries replace shipped ones by name",
  }),
  registryUrl: url({
    flag: "--registry-url <url>",
    env: ["PMCP_REGISTRY_URL"],
    default: "https://registry.modelcontextprotocol.io",
    description: "MCP Registry base URL",
  }),
  lockDir: text({
    flag: "--lock-dir <dir>",
    env: ["PMCP_LOCK_DIR"],
    defaultText: "`$XDG_STATE_HOME/mcpkit/gateway` or `~/.local/state/mcpkit/gateway`",
    description: "state dir: the HTTP gateway's lock, stdio instance files, logs/gateway.log",
  }),
  idleTimeout: custom({
    flag: "--idle-timeout <duration>",
    env: ["MCPKIT_IDLE_TIMEOUT"],
    extension: true,
    defaultText: "policy `lifecycle.idle_timeout`, else 10m",
    description: "stop a downstream server unused this long (seconds, or 90s/10m/1h; 0 = never)",
    schema: (z) =>
      z.string().transform((v, ctx) => {
        const ms = parseDuration(v);
        if (ms !== undefined) return ms;
        ctx.addIssue({
          code: "custom",
          message: 'expected seconds or a duration like "90s", "10m" (0 = never)',
        });
        return z.NEVER;
      }),
  }),
  maxRunning: int({
    flag: "--max-running <n>",
    env: ["MCPKIT_MAX_RUNNING"],
    min: 1,
    invalid: "expected a whole number of at least 1",
    extension: true,
    defaultText: "policy `lifecycle.max_running`, else 32",
    description: "most downstream processes at once; the least recently used idle one is stopped first",
  }),
  cacheDir: text({
    flag: "--cache-dir <dir>",
    env: ["MCPKIT_CACHE_DIR"],
    extension: true,
    defaultText: "`$XDG_CACHE_HOME/mcpkit` or `~/.cache/mcpkit`",
    description: "state dir for the description and registry caches",
  }),
  legacyManifestAutostart: bool({
    env: ["PMCP_LEGACY_MANIFEST_AUTOSTART"],
    default: false,
    description:
      "PMCP's switch: also start every manifest entry marked `auto_start` (playwright, context7) with the gateway",
  }),
  feedbackRepo: text({
    env: ["PMCP_FEEDBACK_REPO"],
    default: "mcpkit/mcpkit",
    description: "GitHub `owner/repo` whose new-issue URL `submit_feedback` prefills",
  }),
  logFileMaxBytes: int({
    env: ["MCPKIT_LOG_FILE_MAX_BYTES"],
    default: 5 * 1024 * 1024,
    min: 1024,
    extension: true,
    description: "size at which `logs/gateway.log` in the state dir is rotated",
  }),
};

export type GatewaySettings = typeof gatewaySettings;
