#!/usr/bin/env node
/**
 * chroma-sync for the real-stack tests: copies every collection's records
 * from the primary to the replica each second, and embeds the exporter
 * (/metrics on its own port), as a user's own sync worker would.
 * Usage: node sync.mjs --port P --primary URL --replica URL
 * `POST /hold?mib=N` keeps N MiB allocated and touched (the memory story), growing or
 * shrinking what is held one MiB at a time so it never holds old and new at once
 * (near a cgroup limit that would be an OOM kill); `/hold?mib=0` frees it all.
 * Run it with `--expose-gc` so freed memory is returned at once.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { ChromaClient } from 'chromadb';
import { startResourceMonitoring } from '@chroma-monitor/exporter';

const { values } = parseArgs({ options: { port: { type: 'string' }, primary: { type: 'string' }, replica: { type: 'string' } } });
const monitor = startResourceMonitoring('chroma-sync', { collectDefaultMetrics: false, diskPaths: [process.cwd()] });
const client = (url) => {
  const u = new URL(url);
  return new ChromaClient({ host: u.hostname, port: Number(u.port), ssl: false });
};
const primary = client(values.primary);
const replica = client(values.replica);
const explicit = { name: 'explicit-only', generate: async () => { throw new Error('embeddings are copied, never computed'); } };
let held = [];
/**
 * Records copied per second: a small page keeps the copy's own memory and the replica's CPU
 * low (a 500-record page of 64 KiB documents is 32 MiB of JSON at once, an OOM kill when the
 * memory story holds the service at 96 % of its limit).
 */
const PAGE_RECORDS = 20;

async function syncOnce() {
  for (const source of await primary.listCollections()) {
    const from = await primary.getCollection({ name: source.name, embeddingFunction: explicit });
    const to = await replica.getOrCreateCollection({ name: source.name, embeddingFunction: explicit });
    const copied = await to.count();
    if (copied >= (await from.count())) continue;
    const page = await from.get({ include: ['embeddings', 'documents'], offset: copied, limit: PAGE_RECORDS });
    if (page.ids.length > 0) await to.upsert({ ids: page.ids, embeddings: page.embeddings, documents: page.documents });
  }
}
const loop = async () => {
  try {
    await syncOnce();
  } catch {
    // the replica or the primary is down: retried next second
  }
  setTimeout(loop, 1000);
};
void loop();

/** Grows or shrinks what is held to `mib`, 8 MiB per event-loop turn so /metrics is still answered meanwhile. */
async function hold(mib) {
  while (held.length < mib) {
    for (let i = 0; i < 8 && held.length < mib; i++) held.push(Buffer.alloc(1024 * 1024, 1));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (held.length > mib) {
    held.length = mib;
    globalThis.gc?.();
  }
}

const server = createServer((req, res) => {
  if (req.url === '/metrics') return void monitor.metricsHandler(req, res);
  if (req.method === 'POST' && req.url?.startsWith('/hold')) {
    const mib = Number(new URL(req.url, 'http://x').searchParams.get('mib') ?? '0');
    void hold(mib).then(() => res.writeHead(200).end(`holding ${held.length} MiB\n`));
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`sync listening on ${values.port}\n`));
process.once('SIGTERM', () => server.close(() => monitor.stopMonitoring().then(() => process.exit(0))));
