# Inkwell server + admin console. Not exercised by this repository's CI (no Docker engine there).
# Build: docker build -t inkwell .   Run: see compose.yaml (needs DATABASE_URL).

# Every workspace manifest, found rather than listed, so a new package cannot be left out. Only
# this stage sees the whole source; the install below is cached until a manifest or the lockfile changes
# (.pnpmfile.cjs too: the lockfile records its checksum; and patches/, which the install applies).
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY . .
RUN mkdir /manifests \
  && cp -r pnpm-lock.yaml pnpm-workspace.yaml .pnpmfile.cjs patches /manifests/ \
  && find . -name package.json -not -path "*/node_modules/*" -exec cp --parents {} /manifests/ \;

FROM node:20-bookworm-slim AS deps
RUN npm i -g pnpm@10
WORKDIR /app
COPY --from=manifests /manifests ./
RUN pnpm install --frozen-lockfile

FROM deps AS build
COPY . .
RUN pnpm --filter @inkwell/admin build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
# Packages export TypeScript source and the server runs it through tsx, so the runtime keeps
# node_modules and sources; the admin console ships built.
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
