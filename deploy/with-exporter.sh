#!/bin/sh
# Starts chroma-exporter in the background, then runs the service command in
# the foreground as PID 1's child; SIGTERM reaches both.
set -eu
: "${EXPORTER_SERVICE:?set EXPORTER_SERVICE to the service name (chroma-primary, chroma-replica)}"
# The ChromaDB probe asks the ChromaDB in this same container (its API on PORT, 8000 by default) and
# sizes its persist directory (the disk); EXPORTER_CHROMA_URL overrides the address.
# A small young generation and a capped old one: V8 otherwise sizes its heap for the scrape's
# allocation rate and the sidecar settles ~14 MB higher (76 → 62 MB after 10,000 scrapes;
# BENCHMARKS.md, "Footprint"). Its live heap is ~6 MB, so 32 MB of old space is ample.
# --optimize-for-size makes V8 grow the old generation in small steps (its garbage between full
# collections was ~5 MB of the sidecar's ~7 MB over an empty Node server after load), and
# --v8-pool-size=1 keeps one V8 worker thread instead of four (each keeps its own malloc arena):
# ~2.5 and ~1.5 MB after 4,000 scrapes (bench/analysis.md, goal 1). Not --lite-mode or
# --jitless, though they save ~5 MB: they disable WebAssembly, which Node's fetch (undici's HTTP
# parser) needs, and the ChromaDB probe's first request crashed the sidecar (real-stack suite).
node --max-semi-space-size=1 --max-old-space-size=32 --optimize-for-size --v8-pool-size=1 /opt/chroma-exporter/exporter/dist/cli.js --service "$EXPORTER_SERVICE" \
  --port "${EXPORTER_PORT:-9464}" --host 0.0.0.0 --disk "${EXPORTER_DISK:-/data}" \
  --chroma-url "${EXPORTER_CHROMA_URL:-http://127.0.0.1:${PORT:-8000}}" --chroma-path "${EXPORTER_DISK:-/data}" &
exporter=$!
trap 'kill -TERM "$exporter" 2>/dev/null; kill -TERM "$child" 2>/dev/null' TERM INT
"$@" &
child=$!
wait "$child"
status=$?
kill -TERM "$exporter" 2>/dev/null || true
wait "$exporter" 2>/dev/null || true
exit "$status"
