import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { userConfigDir } from "./state-dir.ts";

type Env = Record<string, string | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variables that change how programs load or run: never settable through the gateway. */
const LOADER_VARS =
  /^(LD_.*|DYLD_.*|PATH|PATHEXT|NODE_OPTIONS|NODE_PATH|NODE_EXTRA_CA_CERTS|PYTHON.*|PERL5?LIB|PERL5OPT|RUBYOPT|RUBYLIB|BASH_ENV|ENV|SHELL|SHELLOPTS|IFS|PS4|PROMPT_COMMAND|GIT_SSH|GIT_SSH_COMMAND|GIT_EXEC_PATH|GIT_CONFIG.*|HOME|USER|TMPDIR|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|CLASSPATH|GCONV_PATH|LOCPATH|MALLOC_.*|SSL_CERT_.*|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|http_proxy|https_proxy)$/i;
const CREDENTIAL_LIKE = /(TOKEN|KEY|SECRET|PASSWORD|PASS|PAT|DSN|AUTH|CREDENTIALS?|URL|ID)$/i;

/** Why a variable name cannot be stored, or undefined when it can. */
export function rejectVariableName(name: string, declared: string[]): string | undefined {
  if (!NAME.test(name)) return `'${name}' is not a valid variable name (letters, digits, '_')`;
  if (LOADER_VARS.test(name)) return `'${name}' changes how programs load or run and cannot be set here`;
  if (!declared.includes(name) && !CREDENTIAL_LIKE.test(name)) {
    return `'${name}' is neither declared by the server nor named like a credential (*_TOKEN, *_KEY, *_SECRET, ...)`;
  }
  return undefined;
}

export function rejectCredential(value: string): string | undefined {
  if (!value) return "the credential is empty";
  if (/[\r\n\0]/.test(value)) return "the credential must be one line (no newlines or NUL)";
  return undefined;
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./:@+=-]*$/.test(value)
    ? value
    : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"'))
    return v.slice(1, -1).replace(/\\(["\\])/g, "$1");
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (m) out[m[1]!] = unquote(m[2]!);
  }
  return out;
}

/**
 * PMCP's credential files: user scope `~/.config/pmcp/pmcp.env`, project scope `<project>/.env.pmcp`.
 * They feed `${VAR}` expansion (process env first, then project, then user) and are written 0600.
 */
export class EnvStore {
  readonly userPath: string;
  projectPath: string;
  private user: Record<string, string> = {};
  private project: Record<string, string> = {};
  /** The merged lookup map, rebuilt only after a change (invoke consults it on every call). */
  private merged?: Env;

  constructor(
    private readonly processEnv: Env,
    projectRoot: string,
  ) {
    this.userPath = join(userConfigDir(processEnv), "pmcp.env");
    this.projectPath = join(projectRoot, ".env.pmcp");
    this.user = this.read(this.userPath);
    this.project = this.read(this.projectPath);
  }

  /** Re-reads both files (refresh); the project file may have moved with the project root. */
  reload(projectRoot: string): void {
    this.projectPath = join(projectRoot, ".env.pmcp");
    this.user = this.read(this.userPath);
    this.project = this.read(this.projectPath);
    this.merged = undefined;
  }

  private read(path: string): Record<string, string> {
    try {
      return parseEnvFile(readFileSync(path, "utf8"));
    } catch {
      return {};
    }
  }

  /** The map `${VAR}` placeholders are expanded from. */
  lookup(): Env {
    this.merged ??= Object.freeze({ ...this.user, ...this.project, ...this.processEnv });
    return this.merged;
  }

  /** Values loaded from the files, for the redactor. */
  storedValues(): string[] {
    return [...Object.values(this.user), ...Object.values(this.project)];
  }

  /** The variables stored in one scope's file (for `secrets sync`). */
  entries(scope: "user" | "project"): Record<string, string> {
    return { ...(scope === "user" ? this.user : this.project) };
  }

  pathOf(scope: "user" | "project"): string {
    return scope === "user" ? this.userPath : this.projectPath;
  }

  has(name: string): boolean {
    const v = this.lookup()[name];
    return v !== undefined && v !== "";
  }

  /** Writes (or replaces) one variable; the file and a directory it creates are private to the user. */
  set(name: string, value: string, scope: "user" | "project"): string {
    const path = scope === "user" ? this.userPath : this.projectPath;
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    const lines = current
      .split(/\r?\n/)
      .filter((l) => l !== "" && !new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(l));
    lines.push(`${name}=${quote(value)}`);
    if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${lines.join("\n")}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
    if (scope === "user") this.user[name] = value;
    else this.project[name] = value;
    this.merged = undefined;
    return path;
  }
}
