// History flush throughput: the batched writer (unnest arrays, BATCH_ROWS a statement) vs the two
// other ways of writing the same rows with plain `pg`: multi-row VALUES, and one INSERT per row.
// COPY would need pg-copy-streams, which is not a dependency; unnest already clears the goal.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redactor } from '@chroma-monitor/shared';
import { BATCH_ROWS, openStore } from '../poller/dist/store/index.js';
import { median, spread, table } from './lib.js';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INSERT = 'INSERT INTO service_resource_metrics (service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at)';

function rows(count, start) {
  return Array.from({ length: count }, (_, i) => ({ service: `svc-${i % 6}`, recordedAt: start + i, memoryPercent: 50 + (i % 40), cpuPercent: 10 + (i % 30), diskUsagePercent: 60, diskFreeGb: 3.5 }));
}

const seconds = (started) => Number(process.hrtime.bigint() - started) / 1e9;

/** Multi-row VALUES, BATCH_ROWS rows (6 × BATCH_ROWS parameters) a statement, one transaction per statement like the writer. */
async function insertValues(client, all) {
  for (let from = 0; from < all.length; from += BATCH_ROWS) {
    const batch = all.slice(from, from + BATCH_ROWS);
    const params = [];
    const tuples = batch.map((row, i) => {
      params.push(row.service, row.memoryPercent, row.cpuPercent, row.diskUsagePercent, row.diskFreeGb, new Date(row.recordedAt));
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    });
    await client.query(`${INSERT} VALUES ${tuples.join(', ')}`, params);
  }
}

/** One statement per row, autocommit: what a naive writer does. */
async function insertEach(client, all) {
  for (const row of all) {
    await client.query(`${INSERT} VALUES ($1, $2, $3, $4, $5, $6)`, [row.service, row.memoryPercent, row.cpuPercent, row.diskUsagePercent, row.diskFreeGb, new Date(row.recordedAt)]);
  }
}

export async function run({ quick }) {
  const backlog = quick ? 10_000 : 100_000;
  const naiveRows = quick ? 1_000 : 5_000;
  const rounds = quick ? 3 : 5;
  const name = `chroma_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  const version = (await admin.query('SHOW server_version')).rows[0].server_version;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), dataDir: '', bufferRows: backlog * 2, redactor: new Redactor(), logger: { warn: () => undefined } });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const unnest = [];
  const values = [];
  const naive = [];
  /** Empties the table before each measurement so every round inserts into the same size of index. */
  const fresh = () => client.query('TRUNCATE service_resource_metrics');
  const expectRows = async (expected) => {
    const { rows: [{ n }] } = await client.query('SELECT count(*)::int AS n FROM service_resource_metrics');
    if (n !== expected) throw new Error(`expected ${expected} rows, found ${n}`);
  };
  try {
    // Warm-up, not measured: JIT of the row mapping and the server's plan caches.
    store.history.append(rows(Math.min(backlog, 10_000), Date.now()));
    await store.history.flush();
    for (let round = 0; round < rounds; round++) {
      await fresh();
      store.history.append(rows(backlog, Date.now()));
      let started = process.hrtime.bigint();
      await store.history.flush();
      const elapsed = seconds(started);
      if (!store.health().ok || store.history.buffered !== 0) throw new Error(`flush failed: ${store.health().lastError}`);
      await expectRows(backlog);
      unnest.push(backlog / elapsed);

      await fresh();
      const valueRows = rows(backlog, Date.now());
      started = process.hrtime.bigint();
      await insertValues(client, valueRows);
      values.push(backlog / seconds(started));
      await expectRows(backlog);

      await fresh();
      const naiveBatch = rows(naiveRows, Date.now());
      started = process.hrtime.bigint();
      await insertEach(client, naiveBatch);
      naive.push(naiveRows / seconds(started));
      await expectRows(naiveRows);
    }
  } finally {
    await client.end();
    await store.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
  const k = (list) => list.map((v) => v / 1000);
  const ratio = (list) => `${(median(list) / median(naive)).toFixed(1)}×`;
  return {
    title: 'Store flush',
    markdown: [
      `${rounds} rounds on the local PostgreSQL ${version}, one connection each, medians (min–max). Batched writers: a ${backlog.toLocaleString('en')}-row backlog, ${BATCH_ROWS.toLocaleString('en')} rows a statement. One INSERT per row: capped at ${naiveRows.toLocaleString('en')} rows and its rate extrapolated to the backlog (one round trip per row, so the rate does not depend on the count). The table is emptied before each measurement (same index size every round) and every round's rows are counted back; a 10k-row warm-up flush is not measured.`,
      '',
      table(['writer', 'k rows/s', `${(backlog / 1000).toFixed(0)}k-row backlog takes`, 'vs one INSERT per row'], [
        ['HistoryWriter: `INSERT … SELECT FROM unnest($1::text[], …)`', spread(k(unnest), 1), `${(backlog / median(unnest)).toFixed(2)} s`, ratio(unnest)],
        ['multi-row `VALUES ($1…$6), …`', spread(k(values), 1), `${(backlog / median(values)).toFixed(2)} s`, ratio(values)],
        ['one INSERT per row', spread(k(naive), 1), `${(backlog / median(naive)).toFixed(1)} s (extrapolated)`, '1.0×'],
      ]),
      '',
      `Goal ≥ 150k rows/s for the HistoryWriter: ${median(unnest) >= 150_000 ? 'met' : 'not met'}.`,
    ].join('\n'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
