// One process serving a fixture body on many ports: the local target farm for poller benchmarks.
// Every body ends with the exporter's resource gauges (no service label, so they belong to whichever
// service scrapes them), so each scrape derives values and stores a row, as a real target's would.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [count = '200', fixture = new URL('./fixtures/node_exporter-body.prom', import.meta.url).pathname] = process.argv.slice(2);
const fixtureBody = readFileSync(fixture, 'utf8');
/** The resource series one exporter scrape carries (cgroup memory and CPU, one watched disk). */
const RESOURCE_SAMPLES = 9;
const body = (i) =>
  fixtureBody +
  `resource_memory_used_bytes ${268435456 + i * 1024}\nresource_memory_limit_bytes 536870912\nresource_memory_usage_ratio ${(268435456 + i * 1024) / 536870912}\n` +
  `resource_cpu_seconds_total ${(performance.now() / 4000).toFixed(3)}\nresource_cpu_limit_cores 0.5\n` +
  `resource_disk_size_bytes{path="/data"} 10737418240\nresource_disk_free_bytes{path="/data"} 6000000000\n` +
  `resource_disk_used_bytes{path="/data"} 4737418240\nresource_disk_usage_ratio{path="/data"} 0.4412\n`;
const servers = [];
for (let i = 0; i < Number(count); i++) {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body(i)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
}
console.log(`ports ${JSON.stringify(servers.map((s) => s.address().port))} samples ${fixtureBody.split('\n').filter((l) => l && !l.startsWith('#')).length + RESOURCE_SAMPLES}`);
process.once('SIGTERM', () => process.exit(0));
