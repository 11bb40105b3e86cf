/**
 * The environment a stdio upstream starts with: a short allow-list of variables a program needs to run
 * (paths, user, locale, temp, time zone) plus the spec's own `env`. The parent's other variables — API keys,
 * tokens, cloud credentials — are never passed down.
 */
const POSIX_BASE = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "LANG",
  "TMPDIR",
  "TMP",
  "TEMP",
  "TZ",
];
const WINDOWS_BASE = [
  "PATH",
  "PATHEXT",
  "SYSTEMROOT",
  "SYSTEMDRIVE",
  "WINDIR",
  "COMSPEC",
  "APPDATA",
  "LOCALAPPDATA",
  "PROGRAMDATA",
  "PROGRAMFILES",
  "PROGRAMFILES(X86)",
  "COMMONPROGRAMFILES",
  "HOMEDRIVE",
  "HOMEPATH",
  "USERPROFILE",
  "USERNAME",
  "USERDOMAIN",
  "COMPUTERNAME",
  "PROCESSOR_ARCHITECTURE",
  "NUMBER_OF_PROCESSORS",
  "TEMP",
  "TMP",
  "TZ",
  "LANG",
];

function isBaseVariable(key: string, windows: boolean): boolean {
  if (windows) return WINDOWS_BASE.includes(key.toUpperCase());
  return POSIX_BASE.includes(key) || key.startsWith("LC_");
}

export function buildChildEnv(
  own: Record<string, string>,
  parent: Record<string, string | undefined> = process.env,
  platform: string = process.platform,
): Record<string, string> {
  const windows = platform === "win32";
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    // Exported shell functions ("() { …") are a known injection vector; never forward them.
    if (value === undefined || value.startsWith("()")) continue;
    if (isBaseVariable(key, windows)) env[key] = value;
  }
  return { ...env, ...own };
}
