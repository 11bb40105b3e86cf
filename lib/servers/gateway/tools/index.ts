import { authConnect } from "./auth-connect.ts";
import { cancel } from "./cancel.ts";
import { catalogSearch } from "./catalog-search.ts";
import type { MetaTool } from "./define.ts";
import { describe } from "./describe.ts";
import { health } from "./health.ts";
import { invoke } from "./invoke.ts";
import { listPending } from "./list-pending.ts";
import { provision } from "./provision.ts";
import { provisionStatus } from "./provision-status.ts";
import { refresh } from "./refresh.ts";
import { registerDiscovered } from "./register-discovered.ts";
import { requestCapability } from "./request-capability.ts";
import { searchRegistry } from "./search-registry.ts";
import { submitFeedback } from "./submit-feedback.ts";
import { syncEnvironment } from "./sync-environment.ts";
import { updateServer } from "./update-server.ts";

/** The sixteen meta-tools, in PMCP's order. */
export const META_TOOLS: readonly MetaTool[] = [
  catalogSearch,
  describe,
  invoke,
  refresh,
  health,
  requestCapability,
  syncEnvironment,
  provision,
  provisionStatus,
  listPending,
  cancel,
  authConnect,
  updateServer,
  submitFeedback,
  searchRegistry,
  registerDiscovered,
];
