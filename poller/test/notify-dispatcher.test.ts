import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, Redactor, systemClock, type Clock } from '@chroma-monitor/shared';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { alertTitle, testNotification, type AlertNotification } from '../src/alerting/index.js';
import { NotificationDispatcher, SlackWebhookSender, type DispatcherOptions, type OutboxPort } from '../src/notify/index.js';
import { renderAlerts } from '../src/slack/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { SlackReceiver, WEBHOOK_PATH, type ScriptedResponse } from './support/slack-receiver.js';
import { VirtualTimers } from './support/slack-virtual-timers.js';

const render = (ns: unknown[]) => renderAlerts(ns as AlertNotification[], { title: 'ChromaDB Resource Alert' });
const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const item = (service: string, at: number) => {
  const n = testNotification(service, 'disk', 'critical', at);
  return { alertKey: n.alertKey, level: n.level, createdAt: at, notification: n };
};
/** A real notification at a level: Critical, or the Resolved that ends it (same alert key). */
const disk = (service: string, level: 'critical' | 'ok', at: number) => {
  const n: AlertNotification = {
    alertKey: `${service}:disk`, service, resource: 'disk', level, reason: level === 'ok' ? 'resolved' : 'first', at,
    title: alertTitle(service, 'disk', level), summary: level === 'ok' ? 'Disk usage back to normal: 61.0%' : 'Disk usage CRITICAL: 92.3%',
    recommendations: [], snapshot: { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null },
  };
  return { alertKey: n.alertKey, level: n.level, createdAt: at, notification: n };
};
/** The second line of the text fallback: the alert's title, or "N alerts" for a grouped message. */
const titleOf = (r: { body: { text: string } }) => r.body.text.split('\n')[1];

/** The real outbox, with chosen methods failing while `down()` holds (PostgreSQL dying at that moment). */
function failingWhile(store: Store, down: () => boolean, methods: ReadonlyArray<keyof OutboxPort>, message = 'connection terminated'): OutboxPort {
  const guard = <A extends unknown[], R>(name: keyof OutboxPort, f: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (down() && methods.includes(name)) throw new Error(message);
    return f(...args);
  };
  const o = store.outbox;
  return {
    enqueue: guard('enqueue', (items) => o.enqueue(items)),
    due: guard('due', (now: number, limit: number) => o.due(now, limit)),
    markSent: guard('markSent', (ids: readonly number[], at: number) => o.markSent(ids, at)),
    markRetry: guard('markRetry', (ids: readonly number[], e: string, at: number) => o.markRetry(ids, e, at)),
    markFailed: guard('markFailed', (ids: readonly number[], e: string) => o.markFailed(ids, e)),
    counts: guard('counts', () => o.counts()),
  };
}
const ALL: Array<keyof OutboxPort> = ['enqueue', 'due', 'markSent', 'markRetry', 'markFailed', 'counts'];

describe('NotificationDispatcher on the real outbox (PostgreSQL) and a local Slack receiver', () => {
  let db: TestDatabase;
  let store: Store;
  let receiver: SlackReceiver;
  let dispatchers: NotificationDispatcher[];
  let logs: string[];
  let sent: Array<[number, string]>;
  let failed: string[];
  const logger = { warn: (m: string) => logs.push(m) };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_notify');
    store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 100, redactor: new Redactor(), logger: { warn: () => undefined } });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM alert_outbox');
    receiver = await new SlackReceiver().start();
    dispatchers = [];
    logs = [];
    sent = [];
    failed = [];
  });
  afterEach(async () => {
    for (const d of dispatchers) {
      await d.stop({ drainMs: 100 });
      // The webhook URL is a secret: never in a log line or a health field.
      expect(JSON.stringify(d.health())).not.toContain('secret');
    }
    await receiver.close();
    expect(logs.join('\n')).not.toContain('secret');
    expect(logs.join('\n')).not.toContain(WEBHOOK_PATH);
  });

  function make(overrides: Partial<DispatcherOptions> & { url?: string; clock?: Clock } = {}): NotificationDispatcher {
    const url = overrides.url ?? receiver.url;
    const d = new NotificationDispatcher({
      outbox: store.outbox,
      sender: new SlackWebhookSender(url, { timeoutMs: 2_000 }),
      render,
      clock: systemClock,
      random: () => 1,
      redactor: new Redactor(),
      logger,
      onSent: (count, reason) => sent.push([count, reason]),
      onFailed: (code) => failed.push(code),
      ...overrides,
    });
    dispatchers.push(d);
    return d;
  }

  /** A dispatcher whose loop runs on virtual time, plus a driver that fires its timers up to a virtual instant. */
  function virtual(overrides: Partial<DispatcherOptions> & { url?: string } = {}) {
    const clock = new ManualClock(T0);
    const timers = new VirtualTimers(clock);
    const d = make({ clock, scheduler: timers, ...overrides });
    /** Virtual time (ms after T0) at which each request reached the receiver. */
    const sentAt: number[] = [];
    const runUntil = async (msAfterT0: number) => {
      const until = T0 + msAfterT0;
      while (timers.fireNext(until)) {
        await d.deliverDue(); // the pass the timer just started
        while (sentAt.length < receiver.requests.length) sentAt.push(clock.now() - T0);
      }
      if (clock.now() < until) clock.set(until);
    };
    return { d, clock, timers, sentAt, runUntil };
  }

  it('delivers the exact Slack JSON once and marks it sent', async () => {
    const d = make();
    const entry = item('chroma-primary', Date.now() - 1_000);
    await d.enqueue([entry]);
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(WEBHOOK_PATH);
    expect(request!.raw).toBe(JSON.stringify(render([entry.notification])));
    expect(sent).toEqual([[1, 'single']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(d.health()).toEqual({ ok: true, pending: 0, lastError: null, permanentFailures: 0, droppedFromMemory: 0 });
  });

  it('queued with wake: false, nothing is sent until wake() (the monitor saves the alert state in between)', async () => {
    const { d, timers, runUntil } = virtual();
    d.start();
    await runUntil(0); // the start pass: nothing queued yet
    await d.enqueue([item('chroma-primary', T0)], { wake: false });
    expect(timers.nextAt()).toBe(T0 + 5_000); // only the idle poll, not a pass for the new message
    await runUntil(1_000);
    expect(receiver.requests).toHaveLength(0);
    expect(await store.outbox.counts()).toEqual({ pending: 1, failed: 0 });
    d.wake();
    await runUntil(1_000);
    expect(receiver.requests.map(titleOf)).toEqual([`[TEST] ${alertTitle('chroma-primary', 'disk', 'critical')}`]);
  });

  // Slack's contract, in real time (the one test that waits): Retry-After is honoured to the second.
  it('429 with Retry-After: 2, twice: arrives once, each retry ≥ 2 s after the previous attempt', async () => {
    const limited: ScriptedResponse = { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } };
    receiver.script(limited, limited);
    const d = make();
    d.start();
    await d.enqueue([item('chroma-primary', Date.now() - 1_000)]);
    const requests = await receiver.waitForRequests(3, 10_000);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1_995);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(1_995);
    await d.stop({ drainMs: 2_000 });
    await d.deliverDue(); // nothing left to send
    expect(receiver.requests).toHaveLength(3);
    expect(failed).toEqual(['NOTIFY_RATE_LIMITED', 'NOTIFY_RATE_LIMITED']);
    expect(sent).toEqual([[1, 'single']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  }, 15_000);

  it('500 ×3 then ok: delivered once, the delays grow 1 s, 2 s, 4 s (random = 1)', async () => {
    receiver.script({ status: 500 }, { status: 502 }, { status: 503 });
    const { d, sentAt, runUntil } = virtual();
    d.start();
    await d.enqueue([item('chroma-primary', T0)]);
    await runUntil(60_000);
    expect(sentAt).toEqual([0, 1_000, 3_000, 7_000]);
    expect(failed).toEqual(['NOTIFY_RETRYABLE', 'NOTIFY_RETRYABLE', 'NOTIFY_RETRYABLE']);
    expect(sent).toEqual([[1, 'single']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(d.health()).toMatchObject({ ok: true, lastError: null });
  });

  it.each([403, 404, 410])('HTTP %i is permanent: exactly one request, shown in health, counted', async (status) => {
    receiver.script({ status, body: 'no_service' });
    const clock = new ManualClock(T0);
    const d = make({ clock });
    await d.enqueue([item('chroma-primary', T0)]);
    await d.deliverDue();
    clock.advance(3_600_000);
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(d.health()).toMatchObject({ ok: false, permanentFailures: 1 });
    expect(d.health().lastError).toContain(`HTTP ${status}`);
    expect(failed).toEqual(['NOTIFY_PERMANENT']);
    expect(sent).toEqual([]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 1 });
  });

  it.each(['invalid_payload', 'no_text', 'not ok'])('200 with body "%s" is not delivered: retried, then counted once on "ok"', async (body) => {
    receiver.script({ status: 200, body });
    const clock = new ManualClock(T0);
    const d = make({ clock });
    await d.enqueue([item('chroma-primary', T0)]);
    await d.deliverDue();
    expect(sent).toEqual([]);
    expect(failed).toEqual(['NOTIFY_RETRYABLE']);
    expect(d.health()).toMatchObject({ ok: false, pending: 1 });
    expect(d.health().lastError).toContain(`body "${body}"`);
    clock.advance(999);
    await d.deliverDue(); // backoff not over: nothing sent
    expect(receiver.requests).toHaveLength(1);
    clock.advance(1);
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(2);
    expect(sent).toEqual([[1, 'single']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it.each([
    { name: 'ahead by 2 h, then corrected (the wall clock steps back, the monotonic clock goes on)', back: 2 * 3_600_000, monotonic: true },
    { name: 'stepped back 90 s, on a clock without a monotonic reading', back: 90_000, monotonic: false },
  ])('the wall clock $name: the next alert goes out at the next pass, not when the clock catches up', async ({ back, monotonic }) => {
    let wall = T0 + back;
    let mono = 1_000_000;
    const clock: Clock = monotonic ? { now: () => wall, monotonic: () => mono } : { now: () => wall };
    const d = make({ clock });
    await d.enqueue([item('chroma-primary', wall)]);
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    wall = T0 + 4_000; // corrected (NTP) a few seconds later
    mono += 4_000;
    await d.enqueue([item('chroma-replica', wall)]);
    await d.deliverDue();
    expect(receiver.requests.map(titleOf)).toHaveLength(2);
    expect(d.health()).toMatchObject({ ok: true, pending: 0 });
  });

  it('Slack\'s pace is kept on the monotonic clock: a second alert 400 ms after the first waits, whatever the wall clock does', async () => {
    let wall = T0;
    let mono = 0;
    const d = make({ clock: { now: () => wall, monotonic: () => mono } });
    await d.enqueue([item('chroma-primary', wall)]);
    await d.deliverDue();
    wall += 60_000; // the wall clock jumps ahead a minute, only 400 ms pass
    mono += 400;
    await d.enqueue([item('chroma-replica', wall)]);
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    mono += 600;
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries are bounded: after maxAttempts a message is marked failed and shown', async () => {
    receiver.script(...Array.from({ length: 10 }, () => ({ status: 500 })));
    const { d, runUntil } = virtual({ maxAttempts: 3 });
    d.start();
    await d.enqueue([item('chroma-primary', T0)]);
    await runUntil(600_000);
    expect(receiver.requests).toHaveLength(3);
    expect(d.health()).toMatchObject({ ok: false, permanentFailures: 1 });
    expect(d.health().lastError).toBe('delivery failed 3 times, giving up: HTTP 500');
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 1 });
  });

  it('receiver down (closed port), then up: each delivered once, in order', async () => {
    const port = receiver.port;
    await receiver.close();
    const { d, runUntil } = virtual({ url: `http://127.0.0.1:${port}${WEBHOOK_PATH}` });
    d.start();
    await d.enqueue([item('first', T0)]);
    await runUntil(500);
    await d.enqueue([item('second', T0 + 500)]);
    await runUntil(20_000); // several refused attempts
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(d.health().lastError).toContain('ECONNREFUSED');
    receiver = await new SlackReceiver().start(port);
    await runUntil(120_000);
    expect(receiver.requests.map(titleOf)).toEqual(['[TEST] first - Disk Critical', '[TEST] second - Disk Critical']);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(d.health()).toMatchObject({ ok: true, lastError: null });
  });

  // Issue 11, fault 1: "Resolved" arrived 3.6 s before the "Critical" it resolves.
  it('fault 1 (end to end): Slack answers 500 three times to a Critical, then a Resolved is due: Critical arrives before Resolved, each once', async () => {
    receiver.script({ status: 500 }, { status: 500 }, { status: 500 });
    const { d, sentAt, runUntil } = virtual();
    d.start();
    await d.enqueue([disk('chroma-primary', 'critical', T0)]);
    await runUntil(500);
    await d.enqueue([disk('chroma-primary', 'ok', T0 + 500)]); // due at once, while the Critical backs off
    await runUntil(60_000);
    expect(receiver.requests.map(titleOf)).toEqual([
      'chroma-primary - Disk Critical', 'chroma-primary - Disk Critical', 'chroma-primary - Disk Critical', // 500 ×3
      'chroma-primary - Disk Critical', // delivered
      'chroma-primary - Disk Resolved', // delivered, after it
    ]);
    expect(sentAt).toEqual([0, 1_000, 3_000, 7_000, 8_000]);
    expect(sent).toEqual([[1, 'single'], [1, 'single']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('fault 1 across a restart: a process that never saw the 500 still does not let the Resolved overtake the backing-off Critical', async () => {
    receiver.script({ status: 500 });
    const clock = new ManualClock(T0);
    const first = make({ clock });
    await first.enqueue([disk('chroma-primary', 'critical', T0)]);
    await first.deliverDue(); // 500: retry due at T0 + 1 s
    await first.stop();
    const second = make({ clock, minIntervalMs: 0 });
    await second.enqueue([disk('chroma-primary', 'ok', T0 + 100)]);
    clock.set(T0 + 100);
    await second.deliverDue();
    expect(receiver.requests.map(titleOf)).toEqual(['chroma-primary - Disk Critical']);
    clock.set(T0 + 1_000);
    await second.deliverDue();
    await second.deliverDue();
    expect(receiver.requests.map(titleOf)).toEqual(['chroma-primary - Disk Critical', 'chroma-primary - Disk Critical', 'chroma-primary - Disk Resolved']);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('fault 1 while the retry mark cannot be written: the unrecorded backoff still holds the newer message', async () => {
    let down = true;
    receiver.script({ status: 503 });
    const clock = new ManualClock(T0);
    const d = make({ clock, outbox: failingWhile(store, () => down, ['markRetry']), minIntervalMs: 0 });
    await d.enqueue([disk('chroma-primary', 'critical', T0), disk('chroma-primary', 'ok', T0)]);
    await d.deliverDue(); // Critical: 503, its retry mark fails to write
    clock.advance(10);
    await d.deliverDue(); // the Resolved must wait behind it
    expect(receiver.requests.map(titleOf)).toEqual(['chroma-primary - Disk Critical']);
    down = false;
    clock.advance(1_000);
    await d.deliverDue();
    await d.deliverDue();
    expect(receiver.requests.map(titleOf)).toEqual(['chroma-primary - Disk Critical', 'chroma-primary - Disk Critical', 'chroma-primary - Disk Resolved']);
  });

  it('20 messages due at once go as ONE grouped POST', async () => {
    const d = make();
    const at = Date.now() - 1_000;
    await d.enqueue(Array.from({ length: 20 }, (_, i) => item(`svc-${i}`, at + i)));
    await d.deliverDue();
    await d.deliverDue(); // within the same second: rate limited
    expect(receiver.requests).toHaveLength(1);
    expect(titleOf(receiver.requests[0]!)).toBe('20 alerts');
    expect(sent).toEqual([[20, 'grouped']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('1 message per second: five alerts due at different times are spaced ≥ 1 s, in order', async () => {
    // groupThreshold 10 so that none of them is folded into a grouped message.
    const { d, sentAt, runUntil } = virtual({ groupThreshold: 10 });
    d.start();
    for (const [i, offset] of [0, 200, 1_500, 1_700, 5_000].entries()) {
      await runUntil(offset);
      await d.enqueue([item(`svc-${i}`, T0 + offset)]);
    }
    await runUntil(30_000);
    expect(sentAt).toEqual([0, 1_000, 2_000, 3_000, 5_000]);
    expect(receiver.requests.map(titleOf)).toEqual([0, 1, 2, 3, 4].map((i) => `[TEST] svc-${i} - Disk Critical`));
  });

  it('the loop sleeps while nothing is due: no passes but the poll period', async () => {
    const { d, timers, runUntil } = virtual({ pollMs: 5_000 });
    d.start();
    await runUntil(0);
    expect(timers.nextAt()).toBe(T0 + 5_000);
    receiver.script({ status: 429, headers: { 'Retry-After': '60' } });
    await d.enqueue([item('chroma-primary', T0)]);
    await runUntil(1);
    expect(receiver.requests).toHaveLength(1);
    // Waiting for Retry-After: wakes for the poll period, never sends before the minute is over.
    await runUntil(59_999);
    expect(receiver.requests).toHaveLength(1);
    await runUntil(61_000);
    expect(receiver.requests).toHaveLength(2);
  });

  it('crash between "Slack said ok" and "marked sent": sent again once by the next process, never lost', async () => {
    let failMark = true;
    const first = make({ outbox: failingWhile(store, () => failMark, ['markSent']) });
    await first.enqueue([item('chroma-primary', Date.now() - 1_000)]);
    await first.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(first.health().lastError).toContain('cannot record delivery outcomes');
    failMark = false;
    // The process dies here; the next one reads the outbox: the unmarked message goes once more, then never again.
    const second = make();
    await second.deliverDue();
    await second.deliverDue();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.raw).toBe(receiver.requests[0]!.raw);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('the database fails only while marking: the same process marks later and never re-sends', async () => {
    let failMark = true;
    const d = make({ outbox: failingWhile(store, () => failMark, ['markSent', 'markFailed', 'markRetry']), minIntervalMs: 0 });
    await d.enqueue([item('chroma-primary', Date.now() - 1_000)]);
    await d.deliverDue();
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.outbox.counts()).toEqual({ pending: 1, failed: 0 });
    expect(d.health().ok).toBe(false);
    failMark = false;
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(d.health()).toMatchObject({ ok: true, lastError: null });
  });

  it('fault 3: a permanent failure (404 no_service) the database cannot record is not re-sent meanwhile', async () => {
    let down = true;
    receiver.script({ status: 404, body: 'no_service' });
    const d = make({ outbox: failingWhile(store, () => down, ['markFailed']), minIntervalMs: 0 });
    await d.enqueue([item('chroma-primary', Date.now() - 1_000)]);
    for (let pass = 0; pass < 9; pass++) await d.deliverDue(); // the reported 9 POSTs in 9 s
    expect(receiver.requests).toHaveLength(1);
    expect(d.health()).toMatchObject({ ok: false, permanentFailures: 1 });
    expect(d.health().lastError).toContain('HTTP 404 no_service (not retried');
    down = false;
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 1 });
  });

  it('PostgreSQL down: a critical is still delivered, from memory', async () => {
    const d = make({ outbox: failingWhile(store, () => true, ALL, 'connect ECONNREFUSED 127.0.0.1:5432') });
    await d.enqueue([item('chroma-primary', Date.now() - 1_000)]);
    expect(d.health()).toMatchObject({ ok: false, pending: 1 });
    await d.deliverDue();
    expect(receiver.requests.map(titleOf)).toEqual(['[TEST] chroma-primary - Disk Critical']);
    expect(sent).toEqual([[1, 'single']]);
    expect(d.health().pending).toBe(0);
    // One line per outage, not one per pass.
    expect(logs.filter((l) => l.includes('outbox unavailable'))).toHaveLength(1);
  });

  it('PostgreSQL and Slack down together, then both back: persisted with its retry schedule, delivered once', async () => {
    let dbDown = true;
    receiver.script({ status: 503 });
    const clock = new ManualClock(T0);
    const d = make({ clock, outbox: failingWhile(store, () => dbDown, ALL) });
    await d.enqueue([item('chroma-primary', T0)]);
    await d.deliverDue(); // from memory: 503
    expect(receiver.requests).toHaveLength(1);
    dbDown = false;
    clock.advance(10);
    await d.deliverDue(); // moved into the outbox, still in backoff (1 s)
    expect(receiver.requests).toHaveLength(1);
    expect(await store.outbox.counts()).toEqual({ pending: 1, failed: 0 });
    clock.advance(1_000);
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(2);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('the memory queue is bounded: the oldest are dropped and counted', async () => {
    const d = make({ outbox: failingWhile(store, () => true, ALL), memoryLimit: 5 });
    await d.enqueue(Array.from({ length: 8 }, (_, i) => item(`svc-${i}`, Date.now() - 1_000 + i)));
    expect(d.health()).toMatchObject({ droppedFromMemory: 3 });
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(titleOf(receiver.requests[0]!)).toBe('5 alerts');
    expect(receiver.requests[0]!.body.text).not.toContain('svc-0 ');
  });

  it('stop() waits for the send in flight (up to drainMs), then marks it', async () => {
    receiver.script({ status: 200, body: 'ok', delayMs: 300 });
    const d = make();
    d.start();
    await d.enqueue([item('chroma-primary', Date.now() - 1_000)]);
    await receiver.waitForRequests(1);
    await d.stop({ drainMs: 5_000 });
    expect(sent).toEqual([[1, 'single']]);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });
});
