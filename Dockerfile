# syntax=docker/dockerfile:1
# The production image of Taxii Alliance Server (README, "Production: containers").
# Node 20 is the line the tests run on (package.json engines: >=20.19).

FROM node:20.20-bookworm-slim AS build
# better-sqlite3 compiles its addon when no prebuilt one can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY scripts ./scripts
COPY schemas ./schemas
# What runs needs no compiler, tsx or jest: after the build, keep the installed runtime packages only.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/var/lib/taxii \
    CONFIG_DIR=/app/collections
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json LICENSE ./
COPY schemas ./schemas
COPY collections ./collections
COPY deploy/healthcheck.js ./deploy/healthcheck.js
# The image's `node` user, by number so that a runtime refusing root (runAsNonRoot) can verify it.
RUN mkdir -p /var/lib/taxii && chown 1000:1000 /var/lib/taxii
USER 1000:1000
VOLUME ["/var/lib/taxii"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "deploy/healthcheck.js"]
CMD ["node", "dist/server/main.js"]
