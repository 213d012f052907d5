// History flush throughput: the batched writer (unnest, 5,000 rows a statement) vs one INSERT per row.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redactor } from '@chroma-monitor/shared';
import { openStore } from '../poller/dist/store/index.js';
import { median, spread, table } from './lib.js';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function rows(count, start) {
  return Array.from({ length: count }, (_, i) => ({ service: `svc-${i % 6}`, recordedAt: start + i, memoryPercent: 50 + (i % 40), cpuPercent: 10 + (i % 30), diskUsagePercent: 60, diskFreeGb: 3.5 }));
}

export async function run({ quick }) {
  const backlog = quick ? 10_000 : 100_000;
  const naiveRows = quick ? 1_000 : 5_000;
  const rounds = 3;
  const name = `chroma_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), dataDir: '', bufferRows: backlog * 2, redactor: new Redactor(), logger: { warn: () => undefined } });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const batched = [];
  const naive = [];
  try {
    for (let round = 0; round < rounds; round++) {
      store.history.append(rows(backlog, Date.now()));
      let started = process.hrtime.bigint();
      await store.history.flush();
      if (!store.health().ok) throw new Error(store.health().lastError);
      batched.push(backlog / (Number(process.hrtime.bigint() - started) / 1e9));

      started = process.hrtime.bigint();
      for (const row of rows(naiveRows, Date.now())) {
        await client.query(
          'INSERT INTO service_resource_metrics (service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [row.service, row.memoryPercent, row.cpuPercent, row.diskUsagePercent, row.diskFreeGb, new Date(row.recordedAt)],
        );
      }
      naive.push(naiveRows / (Number(process.hrtime.bigint() - started) / 1e9));
    }
  } finally {
    await client.end();
    await store.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
  const k = (values) => values.map((v) => v / 1000);
  return {
    title: 'Store flush',
    markdown: [
      `${rounds} rounds on the local PostgreSQL 15. Batched: a ${backlog.toLocaleString('en')}-row backlog flushed by the HistoryWriter. One INSERT per row: ${naiveRows.toLocaleString('en')} rows, one statement each on one connection (its rate does not depend on the row count).`,
      '',
      table(['writer', 'k rows/s', 'ratio'], [
        ['batched `unnest` (HistoryWriter)', spread(k(batched), 1), (median(batched) / median(naive)).toFixed(1) + '×'],
        ['one INSERT per row', spread(k(naive), 1), '1.0×'],
      ]),
      '',
      `Goal ≥ 150k rows/s: ${median(batched) >= 150_000 ? 'met' : 'not met'}.`,
    ].join('\n'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
