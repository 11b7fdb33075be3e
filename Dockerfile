# Interview Dojo: compiled JavaScript on Node 20, production dependencies only, run as a non-root user.
# Stages: `build` compiles with the dev dependencies (TypeScript), `deps` installs the production
# dependencies alone (no tsx, no esbuild, no vitest), `run` is what ships.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY migrations ./migrations
# tsc checks and compiles; bin/build.js then bundles (dist/bundle, what runs).
COPY bin ./bin
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The migrations are compiled into dist/migrations; the bank is read from questions/ at start.
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY questions ./questions
USER node
EXPOSE 3000
# The same entry point as `npx dojo` (the bundle: bin/build.js): start, and migrate for fly.toml's release_command.
CMD ["node", "dist/bundle/main.js", "start"]
