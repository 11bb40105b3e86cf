export { type BackoffOptions, type BackoffPolicy, exponentialBackoff } from "./backoff.ts";
export { buildChildEnv } from "./child-env.ts";
export {
  type CallToolOptions,
  type ConnectionOptions,
  type ConnectionState,
  UpstreamConnection,
  type UpstreamHealth,
} from "./connection.ts";
export { UpstreamError, type UpstreamErrorKind } from "./errors.ts";
export {
  type EnvMap,
  type ExpandedSpec,
  expandSpec,
  expandSpecs,
  expandString,
  type MissingVariable,
} from "./expand.ts";
export { loadSpecsFromFile } from "./load-specs.ts";
export { parseMcpJson } from "./parse-mcp-json.ts";
export { parsePtcConfigYaml } from "./parse-ptc-config.ts";
export { type ServerTools, UpstreamPool } from "./pool.ts";
export {
  type EraVerdicts,
  FileEraVerdicts,
  MemoryEraVerdicts,
  PROBE_TIMEOUT_MS,
  PROTOCOL_SETTINGS,
  type ProtocolSetting,
  UNANSWERED_PROBE_HORIZON_MS,
  verdictKey,
} from "./protocol.ts";
export { registerSpecSecrets } from "./secrets.ts";
export {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type MemorySpec,
  type RemoteSpec,
  type StdioSpec,
  type UpstreamCommon,
  type UpstreamSpec,
} from "./specs.ts";
