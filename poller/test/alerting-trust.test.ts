/**
 * The alert-trust faults (issue "Alerts you can trust"), each as a named
 * test with the exact messages, on the pure evaluator with the default
 * policy (resolve_after 1m, flapping: more than 4 changes in 10m, stable 10m).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@chroma-monitor/shared';
import { alertPolicy, evaluateService, levelFor, type AlertState, type CpuObservation, type EvaluationContext, type ServiceObservation } from '../src/alerting/index.js';
import { DEFAULT_PLAN_CATALOG } from '../src/recommend/index.js';

const config = (() => {
  const r = parseConfig({});
  if (!r.ok) throw new Error('defaults invalid');
  return r.config;
})();
const GiB = 1024 ** 3;
const S = 1000;
const MIN = 60 * S;
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

type Values = Partial<ServiceObservation['values']>;

/** Steps one service through (time, values, up, cpu) and returns every message as "title | summary". */
function walker(ctx: EvaluationContext = context, service = 'chroma-primary') {
  let states = new Map<string, AlertState>();
  let lastGood: number | null = null;
  return (at: number, values: Values, options: { up?: boolean; cpu?: CpuObservation | null } = {}) => {
    const up = options.up ?? true;
    if (up) lastGood = at;
    const observation: ServiceObservation = {
      service,
      now: at,
      up,
      error: up ? null : 'connection refused',
      values: { memoryPercent: 50, cpuPercent: 20, diskUsagePercent: 40, diskFreeGb: 6, diskSizeBytes: 10 * GiB, ...values },
      valuesAt: lastGood,
      cpu: options.cpu ?? null,
      database: null,
    };
    const result = evaluateService(observation, states, ctx);
    states = new Map([...states, ...result.states]);
    return { messages: result.notifications.map((n) => `${n.title} | ${n.summary}`), result, states };
  };
}

describe('fault 2: flapping floods the channel', () => {
  it('a CPU ratio swinging 0.99 ↔ 0.10 every second for 60 s, then calm: 3 messages in 10 minutes, exactly these', () => {
    const step = walker();
    const sent: Array<[number, string]> = [];
    for (let i = 0; i < 60; i++) {
      for (const m of step(T + i * S, { cpuPercent: i % 2 === 0 ? 99 : 10 }).messages) sent.push([i, m]);
    }
    for (let i = 60; i < 11 * 60; i++) {
      for (const m of step(T + i * S, { cpuPercent: 10 }).messages) sent.push([i, m]);
    }
    expect(sent).toEqual([
      [0, 'chroma-primary - CPU Critical | CPU usage CRITICAL: 99.0%'],
      [4, 'chroma-primary - CPU Flapping | CPU is flapping: 5 level changes in 10m, now CRITICAL at 99.0%; no more CPU messages until it has been stable for 10m'],
      [659, 'chroma-primary - CPU Resolved | CPU usage back to normal: 10.0% (stable again after flapping)'],
    ]);
    expect(sent.filter(([at]) => at < 600)).toHaveLength(2);
  });

  it('a swing between warning and critical (not through ok) is damped the same way', () => {
    const step = walker();
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) sent.push(...step(T + i * 30 * S, { memoryPercent: i % 2 === 0 ? 96 : 85 }).messages);
    expect(sent).toEqual([
      'chroma-primary - Memory Critical | Memory usage CRITICAL: 96.0%',
      'chroma-primary - Memory Critical | Memory usage CRITICAL: 96.0%',
      'chroma-primary - Memory Flapping | Memory is flapping: 5 level changes in 10m, now CRITICAL at 96.0%; no more Memory messages until it has been stable for 10m',
    ]);
  });

  it('resolve_after: a dip under the exit level shorter than 1m sends nothing; 1m below sends one resolved', () => {
    const step = walker();
    expect(step(T, { diskUsagePercent: 91 }).messages).toEqual(['chroma-primary - Disk Critical | Disk usage CRITICAL: 91.0% (Free: 6.0GB)']);
    expect(step(T + 30 * S, { diskUsagePercent: 50 }).messages, 'below, for 0 s').toEqual([]);
    expect(step(T + 60 * S, { diskUsagePercent: 50 }).messages, 'below for 30 s').toEqual([]);
    expect(step(T + 90 * S, { diskUsagePercent: 50 }).messages, 'below for 1m').toEqual(['chroma-primary - Disk Resolved | Disk usage back to normal: 50.0% (Free: 6.0GB)']);
  });

  it('a real rise and fall (ok → warning → critical → warning → ok) is not flapping: warning, critical, resolved', () => {
    const step = walker();
    const sent = [80, 96, 85, 10, 10, 10].flatMap((memoryPercent, i) => step(T + i * 30 * S, { memoryPercent }).messages);
    expect(sent).toEqual([
      'chroma-primary - Memory Warning | Memory usage WARNING: 80.0%',
      'chroma-primary - Memory Critical | Memory usage CRITICAL: 96.0%',
      'chroma-primary - Memory Resolved | Memory usage back to normal: 10.0%',
    ]);
  });
});

describe('fault 4: saturation is invisible', () => {
  const starved: CpuObservation = { throttledRatio: 0.9, demandPercent: 400 };

  it('a CPU alert states the throttled share, and the advice is sized to demand (usage + throttled time), not to capped usage', () => {
    const step = walker();
    const { messages, result } = step(T, { cpuPercent: 100 }, { cpu: starved });
    expect(messages).toEqual(['chroma-primary - CPU Critical | CPU usage CRITICAL: 100.0% (throttled in 90% of CPU periods)']);
    expect(result.notifications[0]!.recommendations).toEqual([
      'Upgrade chroma-primary from Starter ($7/month, 0.5 CPU) to Pro Plus ($175/month, 4 CPU): +$168/month',
      'It wanted 400% of its CPU limit (usage plus throttled time): sized to that demand',
    ]);
  });

  it('a service throttled most of the window is not "back to normal", even when its usage reads low', () => {
    const step = walker();
    step(T, { cpuPercent: 100 }, { cpu: starved });
    for (let i = 1; i <= 10; i++) {
      const { messages, result } = step(T + i * 30 * S, { cpuPercent: 40 }, { cpu: { throttledRatio: 0.6, demandPercent: 150 } });
      expect(messages, `step ${i}`).toEqual([]);
      expect(result.levels.cpu).toBe('critical');
    }
    const unthrottled = walker();
    unthrottled(T, { cpuPercent: 100 }, { cpu: starved });
    unthrottled(T + 30 * S, { cpuPercent: 40 }, { cpu: { throttledRatio: 0.1, demandPercent: 45 } });
    expect(unthrottled(T + 90 * S, { cpuPercent: 40 }, { cpu: { throttledRatio: 0.1, demandPercent: 45 } }).messages).toEqual([
      'chroma-primary - CPU Resolved | CPU usage back to normal: 40.0%',
    ]);
  });
});

describe('fault 5: alerts outlive their data', () => {
  it('a critical metric that disappears: one "no data" notice after 3 scrapes, no "n/a" reminders for hours; data back: one message', () => {
    const step = walker();
    expect(step(T, { memoryPercent: 97 }).messages).toEqual(['chroma-primary - Memory Critical | Memory usage CRITICAL: 97.0%']);
    const sent: string[] = [];
    for (let i = 1; i <= 6 * 120; i++) sent.push(...step(T + i * 30 * S, { memoryPercent: null }).messages);
    expect(sent).toEqual(['chroma-primary - Memory No Data | Memory usage: no data for 3 scrapes; memory alerts are paused until the target serves it again']);
    expect(step(T + 6 * 3600 * S + 30 * S, { memoryPercent: 45 }).messages).toEqual(['chroma-primary - Memory Data Back | Memory data is back: 45.0%']);
  });

  it('a series the target never served never raises "no data"', () => {
    const step = walker();
    const sent = Array.from({ length: 10 }, (_, i) => step(T + i * 30 * S, { diskUsagePercent: null, diskFreeGb: null }).messages).flat();
    expect(sent).toEqual([]);
  });
});

describe('fault 7: close thresholds hold critical too long', () => {
  const close = { warning: 80, critical: 82 };
  it.each([
    { value: 81, expected: 'critical', why: 'inside the critical band (82 × 0.95 = 77.9, but never below warning 80)' },
    { value: 80, expected: 'critical', why: 'at the warning threshold: still in the band' },
    { value: 79, expected: 'warning', why: 'below warning: critical is left' },
    { value: 78, expected: 'warning', why: 'in the warning band (76..80)' },
    { value: 75, expected: 'ok', why: 'below the warning exit' },
  ])('memory 80/82 from critical at $value % → $expected ($why)', ({ value, expected }) => {
    expect(levelFor(value, close, 'critical')).toBe(expected);
  });

  it('no "CRITICAL: 78.0%" reminder: at 78 % the level is warning and nothing is sent', () => {
    const ctx = { ...context, thresholds: { ...context.thresholds, memory: close } };
    const step = walker(ctx);
    expect(step(T, { memoryPercent: 83 }).messages).toEqual(['chroma-primary - Memory Critical | Memory usage CRITICAL: 83.0%']);
    const later = [79, 78, 78, 78].flatMap((v, i) => step(T + (i + 1) * 3600 * S, { memoryPercent: v }).messages);
    expect(later).toEqual([]);
    expect(step(T + 5 * 3600 * S, { memoryPercent: 78 }).result.levels.memory).toBe('warning');
  });
});

describe('fault 10: stale values look current', () => {
  it('"Service Down" carries the last values with their age, not as current', () => {
    const step = walker();
    step(T, { memoryPercent: 67.2 });
    step(T + 30 * S, {}, { up: false });
    step(T + 60 * S, {}, { up: false });
    const { result } = step(T + 90 * S, {}, { up: false });
    expect(result.notifications.map((n) => n.title)).toEqual(['chroma-primary - Service Down']);
    expect(result.notifications[0]!.snapshot).toEqual({ memoryPercent: 50, cpuPercent: 20, diskUsagePercent: 40, diskFreeGb: 6, staleAgeMs: 90 * S });
  });
});

describe('fault 11: first run cries wolf', () => {
  it('a target without a plan gets no plan-priced advice: it names the key to set', () => {
    const step = walker({ ...context, plan: null }, 'chroma-monitor');
    const { result } = step(T, { memoryPercent: 85 });
    expect(result.notifications[0]!.recommendations).toEqual([
      'Give chroma-monitor more memory; set its plan in the config (targets[].plan: starter, standard, pro, pro_plus, pro_max, pro_ultra) to get a priced recommendation',
    ]);
    expect(result.notifications[0]!.recommendations.join(' ')).not.toMatch(/\$/);
  });
});

describe('ChromaDB not answering (the sidecar answers, ChromaDB does not)', () => {
  it('critical after 3 scrapes with chroma_up 0, distinct from Service Down; one message when it answers again', () => {
    let states = new Map<string, AlertState>();
    const step = (at: number, chromaUp: boolean) => {
      const result = evaluateService({ service: 'chroma-replica', now: at, up: true, error: null, values: { memoryPercent: 40, cpuPercent: 10, diskUsagePercent: 30, diskFreeGb: 7, diskSizeBytes: 10 * GiB }, valuesAt: at, cpu: null, chroma: { up: chromaUp, records: chromaUp ? 1200 : null }, database: null }, states, context);
      states = new Map([...states, ...result.states]);
      return result.notifications.map((n) => `${n.title} | ${n.summary}`);
    };
    const sent = [true, false, false, false, false, true, true, true].flatMap((up, i) => step(T + i * 30 * S, up));
    expect(sent).toEqual([
      'chroma-replica - ChromaDB Not Answering | ChromaDB on chroma-replica has not answered its heartbeat for 3 scrapes in a row, while its sidecar answers',
      'chroma-replica - ChromaDB Answering Again | ChromaDB on chroma-replica answers its heartbeat again',
    ]);
  });
});
