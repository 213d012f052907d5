// The capacity farm: many targets as paths over a few ports, each an exporter-like body
// (the resource gauges with its own service label, plus prom-client's default metrics).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [targetCount = '10000', portCount = '20'] = process.argv.slice(2);
const defaults = readFileSync(new URL('./fixtures/promclient-default-body.prom', import.meta.url), 'utf8');
const body = (i) =>
  `resource_memory_usage_ratio{service="t${i}"} ${0.3 + (i % 50) / 100}\n` +
  `resource_cpu_seconds_total{service="t${i}"} ${Date.now() / 1e5}\nresource_cpu_limit_cores{service="t${i}"} 0.5\n` +
  `resource_disk_usage_ratio{service="t${i}",path="/data"} 0.42\nresource_disk_free_bytes{service="t${i}",path="/data"} 6000000000\n` +
  `resource_disk_size_bytes{service="t${i}",path="/data"} 10737418240\n${defaults}`;
const servers = [];
for (let p = 0; p < Number(portCount); p++) {
  const server = createServer((req, res) => {
    const i = Number(/^\/t(\d+)\//.exec(req.url ?? '')?.[1] ?? -1);
    if (i < 0 || i >= Number(targetCount)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body(i));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
}
console.log(`ports ${JSON.stringify(servers.map((s) => s.address().port))}`);
process.once('SIGTERM', () => process.exit(0));
