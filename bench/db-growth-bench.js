// Own database growth: what a simulated day of six services at a 30 s interval adds to PostgreSQL
// (table + indexes, pg_total_relation_size), and what the default 30-day retention keeps it at.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redactor } from '@chroma-monitor/shared';
import { openStore } from '../poller/dist/store/index.js';
import { createBenchDatabase, table } from './lib.js';

const SERVICES = ['chroma-primary', 'chroma-replica', 'chroma-load-balancer', 'chroma-monitor', 'chroma-sync'];
const DAY_MS = 86_400_000;
const FREE_TIER_BYTES = 1024 ** 3;

export async function run({ quick }) {
  const days = quick ? 1 : 3;
  const db = await createBenchDatabase();
  const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 1_000_000, redactor: new Redactor(), logger: { warn: () => undefined } });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const size = async () => {
    await client.query('VACUUM ANALYZE service_resource_metrics');
    await client.query('VACUUM ANALYZE database_size_samples');
    const { rows } = await client.query("SELECT pg_total_relation_size('service_resource_metrics') + pg_total_relation_size('database_size_samples') AS bytes");
    return Number(rows[0].bytes);
  };
  try {
    const empty = await size();
    const start = Date.parse('2026-11-01T00:00:00Z');
    const perDay = [];
    let before = empty;
    for (let day = 0; day < days; day++) {
      for (let at = start + day * DAY_MS; at < start + (day + 1) * DAY_MS; at += 30_000) {
        // Five exporter services (one row each) and the chroma-metadata probe (one database sample) per cycle.
        store.history.append(
          SERVICES.map((service, i) => ({ service, recordedAt: at, memoryPercent: 40 + ((at / 30_000 + i) % 37), cpuPercent: 5 + (i % 50), diskUsagePercent: 55.5, diskFreeGb: 4.4 })),
          [{ service: 'chroma-metadata', datname: 'chroma', sizeBytes: 300_000_000 + day * 1_000_000, limitBytes: FREE_TIER_BYTES, connections: 4, recordedAt: at }],
        );
      }
      await store.history.flush();
      const now = await size();
      perDay.push(now - before);
      before = now;
    }
    const bytesPerDay = perDay.reduce((a, b) => a + b, 0) / perDay.length;
    const retained = bytesPerDay * 30;
    return {
      title: 'Own database growth',
      markdown: [
        `Six services at a 30 s interval (five exporter rows and one database-size sample per cycle, 17,280 rows a day), ${days} simulated day(s) written through the HistoryWriter, sizes from \`pg_total_relation_size\` (table + indexes + TOAST) after VACUUM ANALYZE.`,
        '',
        table(['measure', 'value'], [
          ['growth per day (MB)', (bytesPerDay / 1e6).toFixed(2)],
          ['kept at the default 30-day retention (MB)', (retained / 1e6).toFixed(1)],
          ['share of the 1 GiB free tier', `${((retained / FREE_TIER_BYTES) * 100).toFixed(1)} %`],
        ]),
        '',
        `Goal ≤ 3 MB/day and under 10 % of the free tier at default retention: ${bytesPerDay <= 3e6 && retained <= 0.1 * FREE_TIER_BYTES ? 'met' : 'not met'}.`,
      ].join('\n'),
    };
  } finally {
    await client.end();
    await store.close();
    await db.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
