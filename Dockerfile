# The poller and the exporter sidecar, from one build of the workspace.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY shared/package.json shared/tsconfig.json shared/
COPY exporter/package.json exporter/tsconfig.json exporter/
COPY poller/package.json poller/tsconfig.json poller/
# The bin shims before npm ci, so chroma-monitor and chroma-exporter are linked into node_modules/.bin.
COPY poller/bin poller/bin
COPY exporter/bin exporter/bin
RUN npm ci --ignore-scripts
COPY shared/src shared/src
COPY exporter/src exporter/src
COPY poller/src poller/src
RUN npx tsc -b && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
# The embedded store's default data_dir (./data), writable by the user the poller runs as; with
# DATABASE_URL set (render.yaml) it stays empty.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 9400 9464
# A 1 MB young generation and one V8 worker thread (each worker keeps its own malloc arena): see
# bench/analysis.md, goal 3. The same flags as `npm start` and render.yaml's dockerCommand.
CMD ["node", "--max-semi-space-size=1", "--v8-pool-size=1", "poller/dist/cli.js", "run"]
