# syntax=docker/dockerfile:1
# One image per app, from one multi-stage build: `docker build --target events .` (compose does this).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/lib/deps.js ./scripts/lib/deps.js
# npm ci, or the locked versions through npm install --no-save when npm ci rejects a lockfile made
# through a registry without other platforms' optional binaries (see scripts/lib/deps.js).
RUN node scripts/lib/deps.js --always

FROM deps AS build
COPY .swcrc tsconfig.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
# The console reads who may call what from the OpenAPI document when it is built.
COPY docs/openapi.json ./docs/openapi.json
# swc and Vite are dev dependencies: compile the apps and build the console (dist/console, served by the
# gateway) first, then drop dev dependencies for the runtime image.
RUN node scripts/build.js && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/provision.js ./scripts/provision.js
COPY --from=build /app/scripts/lib ./scripts/lib
# The provisioning script reads the services and their roles from the plain-JS library libs/dev.
COPY --from=build /app/libs/dev ./libs/dev
# Writable by the app user: the tickets service keeps evidence files under .data/evidence by default.
RUN mkdir -p /app/.data/evidence && chown -R node:node /app/.data
USER node
# Ready means database and broker answer (see /health/ready); compose and orchestrators gate on it.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM stops an app gracefully (readiness down, in-flight work finished, connections closed).
STOPSIGNAL SIGTERM

FROM runtime AS provision
HEALTHCHECK NONE
CMD ["node", "scripts/provision.js"]

FROM runtime AS gateway
ENV HTTP_PORT=3000
EXPOSE 3000
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=192", "dist/apps/gateway/src/main.js"]

FROM runtime AS events
ENV HTTP_PORT=3101
EXPOSE 3101
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=192", "dist/apps/events/src/main.js"]

FROM runtime AS tickets
ENV HTTP_PORT=3102
EXPOSE 3102
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=192", "dist/apps/tickets/src/main.js"]

FROM runtime AS jtd-dispatcher
ENV HTTP_PORT=3103
EXPOSE 3103
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=192", "dist/apps/jtd-dispatcher/src/main.js"]
