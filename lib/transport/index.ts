export { assertBindAllowed, checkBearer, checkHostAndOrigin, isLoopbackHost } from "./guard.ts";
export { type RunningHttp, serveHttp } from "./http.ts";
export { DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES, type HttpOptions } from "./options.ts";
export { type ServeOptions, serve } from "./serve.ts";
export { serveStdio } from "./stdio.ts";
