/**
 * The start-up environment scrub. ptm-mcp keeps only the variables it reads plus the handful a process
 * needs to run (paths, locale, temp dirs, proxies, Windows profile); cloud credentials, GitHub tokens and
 * everything else are deleted from the live environment before any request or child process happens.
 */
const ALLOWED_NAMES = new Set([
  // ptm-mcp's own configuration.
  "PTM_API_BASE_URL",
  "PTM_API_TOKEN",
  "PTM_MCP_READ_ONLY",
  "PTM_MCP_TIMEOUT_SECONDS",
  "PTM_MCP_LOG_LEVEL",
  "PTM_MCP_TOOLS",
  "PTM_MCP_EXCLUDE_TOOLS",
  "PTM_MCP_MAX_ROWS",
  "PTM_MCP_PREFLIGHT_BACKOFF_MS",
  "PTM_MCP_AUTH_TOKEN",
  "PTM_CF_AUTO_DISCOVER",
  "CF_ACCESS_CLIENT_ID",
  "CF_ACCESS_CLIENT_SECRET",
  "CF_ACCESS_JWT",
  // What any process needs.
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "TZ",
  "TMPDIR",
  "TMP",
  "TEMP",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "all_proxy",
  // Extra CA bundles for TLS-intercepting proxies and private PKI (paths, not secrets).
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  // Windows profile and shell.
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
  "SYSTEMROOT",
  "SYSTEMDRIVE",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "HOMEDRIVE",
  "HOMEPATH",
  "PROGRAMDATA",
  "PROGRAMFILES",
]);

/** Prefixes kept whole: locale categories, XDG base dirs, and mcpkit's own CLI settings. */
const ALLOWED_PREFIXES = ["LC_", "XDG_", "MCPKIT_"];

/** Variables that may stay in the environment but must never reach a child process. */
const CHILD_SECRETS = new Set([
  "PTM_API_TOKEN",
  "PTM_MCP_AUTH_TOKEN",
  "CF_ACCESS_CLIENT_SECRET",
  "CF_ACCESS_CLIENT_ID",
  "CF_ACCESS_JWT",
  "MCPKIT_AUTH_TOKEN",
]);

export function isAllowedVariable(name: string): boolean {
  // Windows treats names case-insensitively (Path, SystemRoot); POSIX keeps the exact spellings above.
  const key = process.platform === "win32" ? name.toUpperCase() : name;
  return ALLOWED_NAMES.has(key) || ALLOWED_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * Deletes every variable outside the allow-list from each environment object given (normally
 * `process.env` and the context's view of it, which may be the same object). Returns the dropped
 * names, sorted, for a debug log line; values are never returned.
 */
export function scrubEnvironment(...envs: Record<string, string | undefined>[]): string[] {
  const dropped = new Set<string>();
  for (const env of envs) {
    for (const name of Object.keys(env)) {
      if (isAllowedVariable(name)) continue;
      delete env[name];
      dropped.add(name);
    }
  }
  return [...dropped].sort();
}

/** The environment handed to a child process (cloudflared): the (already scrubbed) one minus our secrets. */
export function childEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    // No second allow-list pass here on purpose: the child sees exactly what the scrub left behind.
    if (value === undefined || CHILD_SECRETS.has(name)) continue;
    out[name] = value;
  }
  return out;
}
