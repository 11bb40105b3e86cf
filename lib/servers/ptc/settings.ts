import { choice, text } from "../../core/settings/declare.ts";

// The settings of `mcpkit ptc`: PTC-MCP's config file variable, plus mcpkit's additions. Everything else
// (servers, tool filters, execution limits) lives in config.yaml. The README's settings table is
// generated from this list.

export const ptcSettings = {
  config: text({
    flag: "--config <path>",
    env: ["PTC_MCP_CONFIG"],
    default: "config.yaml",
    description:
      "PTC-MCP's config.yaml (servers, tools.allow/block, execution limits), relative to the working directory; a missing file means defaults and no servers",
  }),
  mcpConfig: text({
    flag: "--mcp-config <path>",
    extension: true,
    description: "a Claude-style .mcp.json whose mcpServers are added as downstream servers",
  }),
  defaultLanguage: choice(["javascript", "typescript", "python"], {
    flag: "--default-language <language>",
    env: ["PTC_MCP_DEFAULT_LANGUAGE"],
    extension: true,
    ignoreCase: true,
    synonyms: { js: "javascript", ts: "typescript", py: "python" },
    defaultText:
      "config.yaml's execution.default_language, else python when started as ptc-mcp, else javascript",
    description: "language of execute_program when a call names none",
  }),
  cacheDir: text({
    env: ["MCPKIT_CACHE_DIR"],
    extension: true,
    defaultText: "`$XDG_CACHE_HOME/mcpkit` or `~/.cache/mcpkit`",
    description:
      "where ptc keeps what it learns between runs (under `ptc/`: the protocol era of each server)",
  }),
};

export type PtcSettings = typeof ptcSettings;
