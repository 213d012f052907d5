# ChromaDB with chroma-exporter running beside it in the same container, so
# the exporter reads the ChromaDB container's own cgroup (its real memory and
# CPU limits) and its persistent disk. On Render a service is one container:
# this is how the sidecar is meant to run there. Build from the repo root:
#   docker build -f deploy/chroma-with-exporter.Dockerfile -t chroma-with-exporter .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY shared/package.json shared/tsconfig.json shared/
COPY exporter/package.json exporter/tsconfig.json exporter/
COPY poller/package.json poller/tsconfig.json poller/
COPY exporter/bin exporter/bin
RUN npm ci --ignore-scripts -w @chroma-monitor/shared -w @chroma-monitor/exporter --include-workspace-root
COPY shared/src shared/src
COPY exporter/src exporter/src
RUN npx tsc -b exporter && npm prune --omit=dev -w @chroma-monitor/exporter

FROM chromadb/chroma:latest
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=build /app /opt/chroma-exporter
COPY deploy/with-exporter.sh /usr/local/bin/with-exporter.sh
ENV EXPORTER_PORT=9464 EXPORTER_DISK=/data
ENTRYPOINT ["/usr/local/bin/with-exporter.sh"]
