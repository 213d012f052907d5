// One process serving a fixture body on many ports: the local target farm for poller benchmarks.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [count = '200', fixture = new URL('./fixtures/node_exporter-body.prom', import.meta.url).pathname] = process.argv.slice(2);
const body = readFileSync(fixture);
const servers = [];
for (let i = 0; i < Number(count); i++) {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
}
console.log(`ports ${JSON.stringify(servers.map((s) => s.address().port))}`);
process.once('SIGTERM', () => process.exit(0));
