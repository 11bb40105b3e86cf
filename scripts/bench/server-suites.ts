// Per-server benchmark suites (PTY latency, PTC call overhead, gateway invoke overhead, …).
// Each lives in scripts/bench/suites/<name>.ts; `--only <name>` runs one.
import type { PreparedTarget } from "../server-targets.ts";
import type { BenchContext } from "./report.ts";
import { gatewaySuite } from "./suites/gateway.ts";
import { gatewayIndexSuite } from "./suites/gateway-index.ts";
import { gatewayInvokeSuite } from "./suites/gateway-invoke.ts";
import { gatewayPerRequestSuite } from "./suites/gateway-per-request.ts";
import { ptcSuite } from "./suites/ptc.ts";
import { ptySuite } from "./suites/pty.ts";
import { ptyLoginSuite } from "./suites/pty-login.ts";

export interface ServerSuite {
  name: string;
  server: string;
  run(ctx: BenchContext, env: { target: PreparedTarget; mcpkit: string[] }): Promise<void>;
}

export const serverSuites: ServerSuite[] = [
  ptySuite,
  ptyLoginSuite,
  ptcSuite,
  gatewaySuite,
  gatewayInvokeSuite,
  gatewayIndexSuite,
  gatewayPerRequestSuite,
];
