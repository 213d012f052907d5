/**
 * The scheduled capacity digest on the injected clock, through the real
 * store (slots persisted in PostgreSQL) and across a restart: the first
 * start sends nothing, each slot is sent once, a restart repeats nothing,
 * weeks missed while down give one digest. Its Slack layout is asserted too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, Redactor } from '@chroma-monitor/shared';
import { configFrom } from '../../test-support/config.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import type { AlertNotification } from '../src/alerting/index.js';
import { DigestRunner } from '../src/app/digest-runner.js';
import { DEFAULT_PLAN_CATALOG } from '../src/recommend/index.js';
import { buildSlackMessage } from '../src/slack/index.js';
import { openStore, type Store } from '../src/store/index.js';

const at = (iso: string) => Date.parse(iso);
const quiet = { info: () => undefined, warn: (line: string) => { throw new Error(line); } };

describe('capacity digest schedule', () => {
  let db: TestDatabase;
  const stores: Store[] = [];
  const sent: AlertNotification[] = [];
  const clock = new ManualClock(at('2026-11-29T10:00:00Z'));
  const config = (url: string) => configFrom({ database_url: url, digest: { every: '7d', at: 'Mon 09:00' }, targets: [{ service: 'chroma-primary', url: 'http://127.0.0.1:9/metrics', plan: 'starter', disk: '10GiB' }] });

  const runner = async () => {
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger: quiet });
    stores.push(store);
    const cfg = config(db.url);
    return new DigestRunner({ config: { ...cfg, digest: cfg.digest! }, clock, store, dispatcher: { enqueue: async (items) => void sent.push(...items.map((i) => i.notification as AlertNotification)), wake: () => undefined }, catalog: DEFAULT_PLAN_CATALOG, logger: quiet });
  };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_digest');
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await db.drop();
  });

  it('first start: nothing sent, the latest slot recorded', async () => {
    const first = await runner();
    expect(await first.tick()).toBe(false);
    expect(sent).toHaveLength(0);
    expect((await db.query('SELECT name, last_slot FROM report_schedule')).rows).toEqual([{ name: 'capacity-digest', last_slot: new Date('2026-11-23T09:00:00Z') }]);
  });

  it('Monday 08:59 nothing; 09:00 one digest; a second tick nothing', async () => {
    const r = await runner();
    clock.set(at('2026-11-30T08:59:00Z'));
    expect(await r.tick()).toBe(false);
    clock.set(at('2026-11-30T09:00:30Z'));
    expect(await r.tick()).toBe(true);
    expect(await r.tick()).toBe(false);
    expect(sent.map((n) => n.title)).toEqual(['Capacity digest: the last 7 days']);
  });

  it('a restart inside the week repeats nothing', async () => {
    const restarted = await runner();
    clock.set(at('2026-11-30T09:05:00Z'));
    expect(await restarted.tick()).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('three weeks down: one digest at the next start, not three', async () => {
    const restarted = await runner();
    clock.set(at('2026-12-22T10:00:00Z'));
    expect(await restarted.tick()).toBe(true);
    expect(await restarted.tick()).toBe(false);
    expect(sent).toHaveLength(2);
    expect((await db.query('SELECT last_slot FROM report_schedule')).rows[0]!.last_slot).toEqual(new Date('2026-12-21T09:00:00Z'));
  });

  it('the digest in Slack: 📊 header, the per-service lines, the recommended changes, no usage fields', () => {
    const message = buildSlackMessage(sent[0]!, { title: 'ChromaDB Resource Alert' });
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '📊 ChromaDB Resource Alert', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Capacity digest: the last 7 days*\nchroma-primary: memory peak n/a (p95 n/a), CPU peak n/a (p95 n/a); 0 alerts\nMonthly cost now $9.50, after the recommended changes $9.50' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Recommended changes:*\n• No change needed' } },
    ]);
  });
});
