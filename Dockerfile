# mcpkit trueppm — the read-only TruePPM MCP connector as a container, run like trueppm-mcp's image.
#
#   docker build -t trueppm-mcp .
#   # stdio (the default, as in trueppm-mcp), for a client that spawns the container itself
#   docker run --rm -i --env-file trueppm.env trueppm-mcp
#   # network service: a bind on 0.0.0.0 needs a bearer token for MCP clients (MCPKIT_AUTH_TOKEN)
#   docker run --rm -p 8000:8000 --env-file trueppm.env trueppm-mcp --transport http --host 0.0.0.0 --port 8000
#
# trueppm.env holds TRUEPPM_API_URL, TRUEPPM_API_TOKEN and (for http/sse) MCPKIT_AUTH_TOKEN.
# Keep tokens in an env file or a secret store, never on the command line.

# ---- build: install everything, bundle, then drop the dev dependencies ---------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` build needs the sources, which are copied next.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY main.ts tsconfig.json ./
COPY lib ./lib
COPY scripts ./scripts
RUN node scripts/build.mjs \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: node, the bundle and production node_modules; no npm, no build tools ----------------
FROM node:22-bookworm-slim AS runtime
# npm, npx and corepack are not needed to run the bundle; removing them shrinks what a scanner sees.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/dist/mcpkit.mjs /app/mcpkit.mjs
COPY --from=build /src/dist/chunks /app/chunks
COPY --from=build /src/node_modules /app/node_modules
COPY --from=build /src/package.json /app/package.json
# The image's `node` user is UID/GID 1000; never run as root.
USER 1000:1000
EXPOSE 8000
# No CMD: without arguments the server speaks stdio, as trueppm-mcp's image does (`docker run -i`).
# Arguments after the image name go to the server. For the network service pass
# `--transport http --host 0.0.0.0 --port 8000`; mcpkit refuses that bind without a token, so also set
# MCPKIT_AUTH_TOKEN (or TRUEPPM_MCP_AUTH_TOKEN), or pass --allow-unauthenticated behind a proxy that
# authenticates. GET /healthz answers without auth for orchestrator probes.
ENTRYPOINT ["node", "/app/mcpkit.mjs", "trueppm"]
