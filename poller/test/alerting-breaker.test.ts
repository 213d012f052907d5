/**
 * Faults found by hostile testing after the alert-trust work, each as a named
 * test with the exact messages, on the pure evaluator with the default policy
 * (resolve_after 1m, 3 failures for "down", no data after 3 scrapes).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@chroma-monitor/shared';
import { alertPolicy, evaluateService, type AlertState, type EvaluationContext, type ServiceObservation } from '../src/alerting/index.js';
import { deriveScrape } from '../src/derive/index.js';
import { parseExposition } from '../src/exposition/index.js';
import { DEFAULT_PLAN_CATALOG } from '../src/recommend/index.js';

const config = (() => {
  const r = parseConfig({});
  if (!r.ok) throw new Error('defaults invalid');
  return r.config;
})();
const GiB = 1024 ** 3;
const S = 1000;
const T = Date.parse('2026-11-24T10:00:00Z');

const context: EvaluationContext = {
  thresholds: config.thresholds,
  policy: alertPolicy(config),
  noDataAfterScrapes: config.alerting.noDataAfterScrapes,
  catalog: DEFAULT_PLAN_CATALOG,
  plan: 'starter',
  diskBytes: 10 * GiB,
  probe: null,
  freeGbHistory: [],
  databaseSizeHistory: [],
};

type Step = Partial<Pick<ServiceObservation, 'up' | 'chroma' | 'postgresUp' | 'database'>>;

/** Steps one service through scrapes and returns every message as "title | summary". */
function walker(ctx: EvaluationContext = context, service = 'chroma-primary') {
  let states = new Map<string, AlertState>();
  let lastGood: number | null = null;
  return (at: number, step: Step = {}) => {
    const up = step.up ?? true;
    if (up) lastGood = at;
    const observation: ServiceObservation = {
      service,
      now: at,
      up,
      error: up ? null : 'HTTP 500',
      values: { memoryPercent: 50, cpuPercent: 20, diskUsagePercent: 40, diskFreeGb: 6, diskSizeBytes: 10 * GiB },
      valuesAt: lastGood,
      cpu: null,
      database: null,
      ...step,
    };
    const result = evaluateService(observation, states, ctx);
    states = new Map([...states, ...result.states]);
    return result.notifications.map((n) => `${n.title} | ${n.summary}`);
  };
}

describe('fault: "Service Recovered" sent while the service is failing again', () => {
  it('a target that answers one scrape between outages gets no "Recovered" while it fails; one once it has answered for resolve_after', () => {
    const step = walker();
    const sent: Array<[number, string]> = [];
    // 30 s interval: down 3 scrapes, up 1, down 4, then up for good.
    const outcomes = [false, false, false, true, false, false, false, false, true, true, true, true];
    outcomes.forEach((up, i) => {
      for (const m of step(T + i * 30 * S, { up })) sent.push([i, m]);
    });
    expect(sent).toEqual([
      [2, 'chroma-primary - Service Down | chroma-primary has failed 3 scrapes in a row: HTTP 500'],
      [10, 'chroma-primary - Service Recovered | chroma-primary is answering scrapes again'],
    ]);
  });

  it('the same for "ChromaDB Not Answering": no "Answering Again" on a scrape where chroma_up is 0', () => {
    const step = walker();
    const sent: Array<[number, string]> = [];
    const chromaUp = [false, false, false, true, false, false, false, true, true, true];
    chromaUp.forEach((up, i) => {
      for (const m of step(T + i * 30 * S, { chroma: { up, records: up ? 10 : null } })) sent.push([i, m]);
    });
    expect(sent.map(([i, m]) => [i, m.split(' | ')[0]])).toEqual([
      [2, 'chroma-primary - ChromaDB Not Answering'],
      [9, 'chroma-primary - ChromaDB Answering Again'],
    ]);
  });
});

describe('fault: "ChromaDB Not Answering" kept critical forever once the sidecar stops serving chroma_up', () => {
  it('critical, then chroma_up absent: one "No Data" after 3 scrapes, no reminders for hours; back: one message', () => {
    const step = walker();
    const sent: Array<[number, string]> = [];
    let i = 0;
    const at = () => T + i++ * 30 * S;
    for (let k = 0; k < 3; k++) for (const m of step(at(), { chroma: { up: false, records: null } })) sent.push([i - 1, m]);
    // The sidecar restarted without --chroma-url: it answers, with no chroma_* series at all.
    for (let k = 0; k < 6 * 120; k++) for (const m of step(at(), { chroma: null })) sent.push([i - 1, m]);
    for (const m of step(at(), { chroma: { up: true, records: 5 } })) sent.push([i - 1, m]);
    expect(sent).toEqual([
      [2, 'chroma-primary - ChromaDB Not Answering | ChromaDB on chroma-primary has not answered its heartbeat for 3 scrapes in a row, while its sidecar answers'],
      [5, 'chroma-primary - ChromaDB No Data | ChromaDB on chroma-primary: no chroma_up for 3 scrapes (the sidecar no longer probes ChromaDB); ChromaDB alerts are paused until it serves chroma_up again'],
      [723, 'chroma-primary - ChromaDB Answering Again | ChromaDB on chroma-primary answers its heartbeat again'],
    ]);
  });

  it('a target that never served chroma_up never gets a ChromaDB message', () => {
    const step = walker();
    const sent: string[] = [];
    for (let k = 0; k < 20; k++) sent.push(...step(T + k * 30 * S, { chroma: null }));
    expect(sent).toEqual([]);
  });
});

describe('fault: a database outage seen through the probe (pg_up 0, HTTP 200) alerted nobody', () => {
  const probeContext: EvaluationContext = { ...context, plan: 'free', diskBytes: null, probe: { limitBytes: GiB, expires: null } };

  it('pg_up 0 for 3 scrapes: one "Database Probe Down" naming it; pg_up 1 again for resolve_after: one "Recovered"', () => {
    const step = walker(probeContext, 'chroma-metadata');
    const sent: Array<[number, string]> = [];
    const database = { sizeBytes: 100 * 1024 ** 2, limitBytes: GiB, connections: 3 };
    const pgUp = [true, false, false, false, false, false, true, true, true, true];
    pgUp.forEach((up, i) => {
      for (const m of step(T + i * 30 * S, { postgresUp: up, database: up ? database : null })) sent.push([i, m]);
    });
    expect(sent).toEqual([
      [3, 'chroma-metadata - Database Probe Down | Database unreachable: the probe answered pg_up 0 (it cannot query PostgreSQL) 3 scrapes in a row'],
      [8, 'chroma-metadata - Database Probe Recovered | Database probe answering again'],
    ]);
  });

  it('derive says which targets are probes, also while pg_up is 0', () => {
    const parse = (text: string) => {
      const result = parseExposition(text);
      if (!result.ok) throw new Error(result.error.message);
      return result.samples;
    };
    expect(deriveScrape(parse('pg_up{service="chroma-metadata"} 0\n'), 'chroma-metadata', T, [], 60_000).postgresUp).toBe(false);
    expect(deriveScrape(parse('pg_up 1\npg_database_size_bytes{datname="x"} 5\n'), 'chroma-metadata', T, [], 60_000).postgresUp).toBe(true);
    expect(deriveScrape(parse('resource_memory_usage_ratio 0.5\n'), 'chroma-primary', T, [], 60_000).postgresUp).toBe(null);
  });
});

describe('fault: one target serving a size past bigint stopped the history of every service', () => {
  const parse = (text: string) => {
    const result = parseExposition(text);
    if (!result.ok) throw new Error(result.error.message);
    return result.samples;
  };

  it.each([
    ['a database size of 1e20 bytes', 'pg_up 1\npg_database_size_bytes{datname="x"} 1e20\n', 'pg_database_size_bytes > 9007199254740991'],
    ['a size limit of 1e20 bytes', 'pg_up 1\npg_database_size_bytes{datname="x"} 5\npg_database_size_limit_bytes{datname="x"} 1e20\n', 'pg_database_size_limit_bytes > 9007199254740991'],
    ['3e9 connections (int4)', 'pg_up 1\npg_database_size_bytes{datname="x"} 5\npg_stat_activity_count 3e9\n', 'pg_stat_activity_count > 2147483647'],
    ['1e20 ChromaDB records', 'chroma_up 1\nchroma_collection_records{collection="a"} 1e20\n', 'chroma_collection_records > 9007199254740991'],
  ])('%s is ignored and counted, never stored', (_name, body, reason) => {
    const derived = deriveScrape(parse(body), 'svc', T, [], 60_000);
    expect(derived.ignored).toEqual([reason]);
    if (reason.startsWith('pg_database_size_bytes')) expect(derived.database).toBeNull();
    if (reason.startsWith('pg_database_size_limit')) expect(derived.database?.limitBytes).toBeNull();
    if (reason.startsWith('pg_stat')) expect(derived.database?.connections).toBeNull();
    if (reason.startsWith('chroma')) expect(derived.chroma?.records).toBeNull();
  });
});
