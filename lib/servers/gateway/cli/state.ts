import { errorMessage } from "../../../core/errors.ts";
import { expandSpec } from "../../../upstream/index.ts";
import { type DiscoveredConfig, discoverConfig, findProjectRoot } from "../config-discovery.ts";
import { EnvStore } from "../env-store.ts";
import { type GuidanceSettings, loadGuidance } from "../guidance-config.ts";
import { Manifest } from "../manifest.ts";
import { loadPolicy, type Policy } from "../policy.ts";

type Env = Record<string, string | undefined>;

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** One configured server as the CLI can know it without starting it. */
export interface ServerFacts {
  name: string;
  source: string;
  transport: string;
  /** stdio: the command's name; http/sse: the URL's origin. Never arguments, env or headers. */
  target: string;
  autoStart: boolean;
  allowedByPolicy: boolean;
  /** `${VAR}` references and whether each is set (process env, project or user credential file). */
  credentials: Array<{ name: string; present: boolean }>;
}

/**
 * What the gateway would load with these flags, read the same way `mcpkit gateway` reads it, but every
 * failure is collected instead of thrown, so status and doctor can report all of them.
 */
export interface GatewayFacts {
  projectRoot: string;
  config?: DiscoveredConfig;
  configError?: string;
  policy?: Policy;
  policyError?: string;
  manifest?: Manifest;
  manifestError?: string;
  guidance?: GuidanceSettings;
  guidanceError?: string;
  store: EnvStore;
  servers: ServerFacts[];
}

function attempt<T>(fn: () => T): { value?: T; error?: string } {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

/** Variables a spec references, in order, without duplicates. */
function referencedVariables(spec: Parameters<typeof expandSpec>[0]): string[] {
  const { missing } = expandSpec(spec, {});
  return [...new Set(missing)];
}

export function readGatewayFacts(options: Record<string, unknown>, env: Env, cwd: string): GatewayFacts {
  const project = str(options.project);
  const config = attempt(() =>
    discoverConfig({ cwd, env, explicit: str(options.config) ?? str(env.PMCP_CONFIG), project }),
  );
  const projectRoot = config.value?.projectRoot ?? (project ? project : findProjectRoot(cwd, env));
  const policy = attempt(() => loadPolicy(str(options.policy) ?? str(env.PMCP_POLICY), cwd, env));
  const manifest = attempt(() => new Manifest(str(options.manifest) ?? str(env.PMCP_MANIFEST_PATH)));
  const guidance = attempt(() => loadGuidance(str(options.guidance), env));
  const store = new EnvStore(env, projectRoot);
  const lookup = store.lookup();
  const servers: ServerFacts[] = (config.value?.specs ?? []).map((spec) => {
    const c = config.value!;
    let target: string = spec.transport;
    if (spec.transport === "stdio") target = spec.command.split(/[\\/]/).pop() ?? spec.command;
    else if (spec.transport === "http" || spec.transport === "sse") {
      try {
        target = new URL(spec.url).origin;
      } catch {
        target = "(url with placeholders)";
      }
    }
    return {
      name: spec.name,
      source: c.origins.get(spec.name) ?? "",
      transport: spec.transport,
      target,
      autoStart: c.autoStart.has(spec.name) && !c.disableAutoStart.has(spec.name),
      allowedByPolicy: policy.value ? policy.value.serverAllowed(spec.name) : true,
      credentials: referencedVariables(spec).map((name) => ({
        name,
        present: lookup[name] !== undefined && lookup[name] !== "",
      })),
    };
  });
  return {
    projectRoot,
    config: config.value,
    configError: config.error,
    policy: policy.value,
    policyError: policy.error,
    manifest: manifest.value,
    manifestError: manifest.error,
    guidance: guidance.value,
    guidanceError: guidance.error,
    store,
    servers,
  };
}
