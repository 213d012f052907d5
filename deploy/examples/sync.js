// PLACEHOLDER for your own chroma-sync (render.yaml deploys it until you replace it).
// What to keep in your code: the startResourceMonitoring line. chroma-sync is a private service
// (pserv), not a background worker, because Render workers cannot receive private-network
// traffic and chroma-monitor could not scrape it; the exporter's :9464 is the port it listens on.
//
// This placeholder only logs once a minute. Run locally: node deploy/examples/sync.js
import { clearInterval, setInterval } from 'node:timers';
import { startResourceMonitoring } from '@chroma-monitor/exporter';

const monitor = startResourceMonitoring('chroma-sync', {
  port: Number(process.env.EXPORTER_PORT ?? 9464),
  host: process.env.EXPORTER_HOST ?? '0.0.0.0',
});
process.stdout.write(`chroma-sync (placeholder): metrics at ${await monitor.ready}/metrics\n`);

const timer = setInterval(() => process.stdout.write('chroma-sync (placeholder): nothing to sync; replace deploy/examples/sync.js with your sync code\n'), 60_000);

process.once('SIGTERM', async () => {
  clearInterval(timer);
  await monitor.stopMonitoring();
  process.exit(0);
});
