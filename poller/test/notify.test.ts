import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redactor, systemClock } from '@chroma-monitor/shared';
import { freePort } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { testNotification, type AlertNotification } from '../src/alerting/index.js';
import { NotificationDispatcher, retryDelayMs, SlackWebhookSender, type OutboxPort } from '../src/notify/index.js';
import { renderAlerts } from '../src/slack/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { SlackReceiver, WEBHOOK_PATH } from './support/slack-receiver.js';

const render = (ns: unknown[]) => renderAlerts(ns as AlertNotification[], { title: 'ChromaDB Resource Alert' });
const item = (service: string, i = 0) => {
  const n = testNotification(service, 'disk', 'critical', Date.now() - 1_000 + i);
  return { alertKey: n.alertKey, level: n.level, createdAt: n.at, notification: n };
};

/** The real outbox, except that marking as sent fails while `failing()` holds (a database dying at that moment). */
function markFailingWhile(store: Store, failing: () => boolean, message: string): OutboxPort {
  return {
    enqueue: (items) => store.outbox.enqueue(items),
    due: (now, limit) => store.outbox.due(now, limit),
    markSent: async (ids, at) => {
      if (failing()) throw new Error(message);
      return store.outbox.markSent(ids, at);
    },
    markRetry: (ids, e, at) => store.outbox.markRetry(ids, e, at),
    markFailed: (ids, e) => store.outbox.markFailed(ids, e),
    counts: () => store.outbox.counts(),
  };
}

describe('retryDelayMs', () => {
  const retryable = { ok: false as const, retryable: true, retryAfterMs: null, code: 'NOTIFY_RETRYABLE' as const, message: 'HTTP 503', status: 503 };
  it.each([
    { attempt: 1, random: 0, expected: 500 },
    { attempt: 1, random: 1, expected: 1_000 },
    { attempt: 3, random: 0.5, expected: 3_000 },
    { attempt: 20, random: 1, expected: 300_000 },
  ])('attempt $attempt, random $random → $expected ms', ({ attempt, random, expected }) => {
    expect(retryDelayMs(attempt, retryable, () => random)).toBe(expected);
  });
  it('Retry-After wins, capped at an hour', () => {
    expect(retryDelayMs(1, { ...retryable, retryAfterMs: 2_000 }, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(1, { ...retryable, retryAfterMs: 10 * 3_600_000 }, () => 0.5)).toBe(3_600_000);
  });
});

describe('SlackWebhookSender against a local receiver', () => {
  const receiver = new SlackReceiver();
  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it.each([
    { name: '200 ok', response: { status: 200, body: 'ok' }, expected: { ok: true } },
    { name: '200 with another body', response: { status: 200, body: 'invalid_payload' }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', status: 200, message: 'HTTP 200 with body "invalid_payload" (expected "ok")' } },
    { name: '429 with Retry-After', response: { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } }, expected: { ok: false, retryable: true, retryAfterMs: 2_000, code: 'NOTIFY_RATE_LIMITED' } },
    { name: '500', response: { status: 500, body: 'boom' }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', message: 'HTTP 500' } },
    { name: '403', response: { status: 403, body: 'invalid_token' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 403 } },
    { name: '404', response: { status: 404, body: 'no_service' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 404 } },
    { name: '410', response: { status: 410, body: 'channel_is_archived' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 410 } },
  ])('$name', async ({ response, expected }) => {
    receiver.script(response);
    const result = await new SlackWebhookSender(receiver.url).send({ text: 'hi', blocks: [] });
    expect(result).toMatchObject(expected);
    expect(JSON.stringify(result)).not.toContain(WEBHOOK_PATH);
  });

  it('network error is retryable and names no URL', async () => {
    const port = await freePort();
    const result = await new SlackWebhookSender(`http://127.0.0.1:${port}${WEBHOOK_PATH}`).send({ text: 'hi', blocks: [] });
    expect(result).toMatchObject({ ok: false, retryable: true, message: 'network error (ECONNREFUSED)' });
  });
});

describe('NotificationDispatcher with the real outbox', () => {
  let db: TestDatabase;
  let store: Store;
  let receiver: SlackReceiver;
  let dispatcher: NotificationDispatcher | null;
  const logs: string[] = [];
  const logger = { warn: (m: string) => logs.push(m) };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_notify');
    store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 100, redactor: new Redactor(), logger });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM alert_outbox');
    receiver = await new SlackReceiver().start();
    dispatcher = null;
  });
  afterEach(async () => {
    await dispatcher?.stop({ drainMs: 100 });
    await receiver.stop();
    expect(logs.join('\n')).not.toContain(WEBHOOK_PATH);
  });

  function make(outbox: OutboxPort = store.outbox, url = receiver.url): NotificationDispatcher {
    dispatcher = new NotificationDispatcher({ outbox, sender: new SlackWebhookSender(url), render, clock: systemClock, random: () => 0, redactor: new Redactor([url]), logger });
    dispatcher.start();
    return dispatcher;
  }

  it('delivers the exact Slack JSON and marks it sent', async () => {
    const d = make();
    const entry = item('chroma-primary');
    await d.enqueue([entry]);
    const [request] = await receiver.waitForRequests(1);
    expect(request!.path).toBe(WEBHOOK_PATH);
    expect(request!.body).toEqual(render([entry.notification]));
    await d.deliverDue();
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('429 with Retry-After: 2, three times: arrives once, each retry ≥ 2 s later', async () => {
    const limited = { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } };
    receiver.script(limited, limited, limited);
    await make().enqueue([item('chroma-primary')]);
    const requests = await receiver.waitForRequests(4, 12_000);
    for (let i = 1; i < 4; i++) expect(requests[i]!.at - requests[i - 1]!.at).toBeGreaterThanOrEqual(1_990);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(4);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  }, 20_000);

  it('500s are retried with growing backoff until delivered once', async () => {
    receiver.script({ status: 500 }, { status: 502 }, { status: 503 });
    await make().enqueue([item('chroma-primary')]);
    const requests = await receiver.waitForRequests(4, 10_000);
    const gaps = requests.slice(1).map((r, i) => r.at - requests[i]!.at);
    // Backoff 0.5 s, 1 s, 2 s (random = 0), floored by the 1 message/s limit.
    expect(gaps[1]!).toBeGreaterThanOrEqual(gaps[0]! - 20);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]! + 500);
  }, 20_000);

  it.each([403, 404, 410])('%i is permanent: one request, visible in health, not retried', async (status) => {
    receiver.script({ status, body: 'nope' });
    const d = make();
    await d.enqueue([item('chroma-primary')]);
    await receiver.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.requests).toHaveLength(1);
    expect(d.health()).toMatchObject({ ok: false, permanentFailures: 1 });
    expect(d.health().lastError).toContain(`HTTP ${status}`);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 1 });
    await db.query("DELETE FROM alert_outbox WHERE status = 'failed'");
  });

  it('many due at once go as one grouped message', async () => {
    const d = new NotificationDispatcher({ outbox: store.outbox, sender: new SlackWebhookSender(receiver.url), render, clock: systemClock, redactor: new Redactor(), logger });
    dispatcher = d;
    await d.enqueue(Array.from({ length: 20 }, (_, i) => item(`svc-${i}`, i)));
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.body.text.split('\n')[1]).toBe('20 alerts');
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('a few separate alerts are spaced at least 1 s apart, in order', async () => {
    await make().enqueue([item('a', 1), item('b', 2), item('c', 3)]);
    const requests = await receiver.waitForRequests(3, 10_000);
    expect(requests.map((r) => r.body.text.split('\n')[1])).toEqual(['[TEST] a - Disk Critical', '[TEST] b - Disk Critical', '[TEST] c - Disk Critical']);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(990);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(990);
  }, 15_000);

  it('receiver down, then up: delivered once, in order', async () => {
    const port = receiver.port;
    await receiver.stop();
    const d = make(store.outbox, `http://127.0.0.1:${port}${WEBHOOK_PATH}`);
    await d.enqueue([item('first', 1), item('second', 2)]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    receiver = await new SlackReceiver().start(port);
    const requests = await receiver.waitForRequests(2, 10_000);
    expect(requests.map((r) => r.body.text.split('\n')[1])).toEqual(['[TEST] first - Disk Critical', '[TEST] second - Disk Critical']);
  }, 20_000);

  it('crash between "Slack said ok" and "marked sent": sent again once, never lost', async () => {
    let failMark = true;
    const flaky = markFailingWhile(store, () => failMark, 'connection lost');
    const first = new NotificationDispatcher({ outbox: flaky, sender: new SlackWebhookSender(receiver.url), render, clock: systemClock, redactor: new Redactor(), logger });
    await first.enqueue([item('chroma-primary')]);
    await first.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    failMark = false;
    // A new process (restart) reads the outbox: the unmarked message goes once more, then never again.
    // (The first process, had it lived, would not re-send it: see the next test.)
    const second = new NotificationDispatcher({ outbox: store.outbox, sender: new SlackWebhookSender(receiver.url), render, clock: systemClock, redactor: new Redactor(), logger });
    await second.deliverDue();
    await second.deliverDue();
    expect(receiver.requests).toHaveLength(2);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('the database fails only while marking (a restart): the same process marks it later and does not re-send', async () => {
    let failMark = true;
    const flaky = markFailingWhile(store, () => failMark, 'terminating connection due to administrator command');
    const d = new NotificationDispatcher({ outbox: flaky, sender: new SlackWebhookSender(receiver.url), render, clock: systemClock, minIntervalMs: 0, redactor: new Redactor(), logger });
    await d.enqueue([item('chroma-primary')]);
    await d.deliverDue();
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.outbox.counts()).toEqual({ pending: 1, failed: 0 });
    failMark = false;
    await d.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('outbox unavailable (database down): the alert is delivered from memory', async () => {
    const down: OutboxPort = {
      enqueue: async () => { throw new Error('database unreachable'); },
      due: async () => { throw new Error('database unreachable'); },
      markSent: async () => { throw new Error('database unreachable'); },
      markRetry: async () => { throw new Error('database unreachable'); },
      markFailed: async () => { throw new Error('database unreachable'); },
      counts: async () => { throw new Error('database unreachable'); },
    };
    const d = make(down);
    await d.enqueue([item('chroma-primary')]);
    await receiver.waitForRequests(1);
    expect(receiver.requests[0]!.body.text).toContain('[TEST] chroma-primary - Disk Critical');
  });
});
