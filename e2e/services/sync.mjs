#!/usr/bin/env node
/**
 * chroma-sync for the real-stack tests: copies every collection's records
 * from the primary to the replica each second, and embeds the exporter
 * (/metrics on its own port), as a user's own sync worker would.
 * Usage: node sync.mjs --port P --primary URL --replica URL
 * `POST /hold?mib=N` keeps N MiB allocated (the memory story); `/hold?mib=0` frees it.
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

async function syncOnce() {
  for (const source of await primary.listCollections()) {
    const from = await primary.getCollection({ name: source.name, embeddingFunction: explicit });
    const to = await replica.getOrCreateCollection({ name: source.name, embeddingFunction: explicit });
    if ((await to.count()) >= (await from.count())) continue;
    const page = await from.get({ include: ['embeddings', 'documents'], limit: 500 });
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

const server = createServer((req, res) => {
  if (req.url === '/metrics') return void monitor.metricsHandler(req, res);
  if (req.method === 'POST' && req.url?.startsWith('/hold')) {
    const mib = Number(new URL(req.url, 'http://x').searchParams.get('mib') ?? '0');
    held = Array.from({ length: mib }, () => Buffer.alloc(1024 * 1024, 1));
    res.writeHead(200).end(`holding ${mib} MiB\n`);
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`sync listening on ${values.port}\n`));
process.once('SIGTERM', () => server.close(() => monitor.stopMonitoring().then(() => process.exit(0))));
