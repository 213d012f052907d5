/**
 * Issue 11, faults 7, 8 and 11 end to end: targets that echo what the
 * scraper sent them (its Authorization header, its URL with a ?token=) while
 * failing to parse, so the parse error quotes the secret. After three failed
 * scrapes each raises "Service Down". No form of any configured secret may
 * reach /status, the page, Slack, alert_outbox or the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom } from '../../test-support/config.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { findLeaks, leakNeedles } from '../../test-support/secret-leaks.js';
import { startMonitor, type RunningMonitor } from '../src/app/start-monitor.js';
import { SlackReceiver } from './support/slack-receiver.js';
import { startTargetFarm, type TargetFarm } from './support/target-farm.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const PASSWORD = 's3cr3t-pa55';
const URL_TOKEN = 's3cret-token';
const QUERY_TOKEN = 'target-t0ken-s3cret';
const BEARER = 'b34rer-t0ken-l0ng-s3cret';

const echo = (text: string) => (res: ServerResponse) => res.writeHead(200, { 'Content-Type': TEXT }).end(`ok_metric 1\necho ${text}\n`);

describe('no form of a configured secret in /status, the page, Slack, alert_outbox or the log (issue 11, faults 7, 8, 11)', () => {
  let db: TestDatabase;
  let farm: TargetFarm;
  let receiver: SlackReceiver;
  let poller: RunningMonitor;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('chroma_secret_forms');
    receiver = await new SlackReceiver().start();
    farm = await startTargetFarm({
      // Echoes the request line: the ?token= comes back in the parse error.
      '/echo-url': (res, req: IncomingMessage) => echo(`http://${req.headers.host}${req.url}`)(res),
      // Echoes the Authorization header after padding, so the parser's 80-character snippet cuts it in the middle.
      '/echo-auth-long': (res, req: IncomingMessage) => echo(`${'x'.repeat(60)} ${req.headers.authorization ?? ''}`)(res),
    });
    const at = (path: string, userinfo = '') => farm.url(path).replace('http://', `http://${userinfo}`);
    poller = await startMonitor(
      configFrom({
        interval: '1s',
        timeout: '500ms',
        database_url: db.url,
        listen: { host: '127.0.0.1', port: 0 },
        slack: { webhook_url: receiver.url },
        targets: [
          { service: 'svc-basic', url: at('/echo-auth', `scraper:${PASSWORD}@`) }, // fault 7: Basic base64(user:pw)
          { service: 'svc-query', url: `${farm.url('/echo-url')}?token=${QUERY_TOKEN}` }, // fault 8: ?token=
          { service: 'svc-userinfo', url: at('/echo-auth', `${URL_TOKEN}@`) }, // fault 11: token as URL username
          { service: 'svc-cut', url: farm.url('/echo-auth-long'), bearer_token: BEARER }, // cut before redaction
        ],
      }),
      { writeLog: (line) => logs.push(line), writeAlert: () => undefined },
    );
  }, 30_000);

  afterAll(async () => {
    await poller?.stop({ drainMs: 500 });
    await farm?.close();
    await receiver?.stop();
    await db?.drop();
  });

  it('after three failed scrapes: four "Service Down" alerts, every output free of every form', async () => {
    const deadline = Date.now() + 20_000;
    let titles: string[] = [];
    while (Date.now() < deadline) {
      titles = receiver.requests.flatMap((r) => r.body.text.split('\n')).filter((line) => / - Service Down/.test(line));
      if (['svc-basic', 'svc-query', 'svc-userinfo', 'svc-cut'].every((s) => titles.some((t) => t.includes(s)))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(titles.join('\n')).toMatch(/svc-basic/);
    for (const service of ['svc-query', 'svc-userinfo', 'svc-cut']) expect(titles.join('\n')).toContain(service);

    const status = await (await fetch(`${poller.url}/status`)).text();
    const page = await (await fetch(`${poller.url}/`)).text();
    const outbox = (await db.query<{ row: string }>('SELECT row_to_json(o)::text AS row FROM alert_outbox o')).rows.map((r) => r.row).join('\n');
    const slack = receiver.requests.map((r) => r.raw).join('\n');
    // The errors are there (so the check is not vacuous), and redacted.
    expect(JSON.parse(status).services.find((s: { service: string }) => s.service === 'svc-basic').last_error).toBe('line 2: invalid number "Basic" in: echo Basic <redacted>');
    expect(outbox).toContain('<redacted>');

    const needles = leakNeedles([PASSWORD, URL_TOKEN, QUERY_TOKEN, BEARER], [`scraper:${PASSWORD}`, `${URL_TOKEN}:`]);
    for (const [name, text] of Object.entries({ status, page, slack, outbox, log: logs.join('') })) {
      expect(findLeaks(text, needles), name).toEqual([]);
    }
  }, 30_000);
});
