import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../src/alerting/index.js';
import { buildGroupedSlackMessage, buildSlackMessage, formatPlainAlert } from '../src/slack/index.js';

const OPTIONS = { title: 'ChromaDB Resource Alert' };
const snapshot = { memoryPercent: 67.2, cpuPercent: 45.1, diskUsagePercent: 92.3, diskFreeGb: 0.8 };

function notification(overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    alertKey: 'chroma-primary:disk',
    service: 'chroma-primary',
    resource: 'disk',
    level: 'critical',
    reason: 'first',
    at: 0,
    title: 'chroma-primary - Disk Critical',
    summary: 'Disk usage CRITICAL: 92.3% (Free: 0.8GB)',
    recommendations: ['Increase disk size from 10GB to 20GB (+$2.50/month)', 'Current free space: 0.8GB'],
    snapshot,
    ...overrides,
  };
}

describe('Slack message layout (SPEC §5)', () => {
  it('disk critical: the SPEC example, exactly', () => {
    expect(buildSlackMessage(notification(), OPTIONS)).toEqual({
      text: [
        '🚨 ChromaDB Resource Alert',
        'chroma-primary - Disk Critical',
        'Disk usage CRITICAL: 92.3% (Free: 0.8GB)',
        'Upgrade Recommendation:',
        '• Increase disk size from 10GB to 20GB (+$2.50/month)',
        '• Current free space: 0.8GB',
        'Memory Usage: 67.2%    CPU Usage: 45.1%',
        'Disk Usage: 92.3%      Disk Free: 0.8GB',
      ].join('\n'),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🚨 ChromaDB Resource Alert', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: '*chroma-primary - Disk Critical*\nDisk usage CRITICAL: 92.3% (Free: 0.8GB)' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Upgrade Recommendation:*\n• Increase disk size from 10GB to 20GB (+$2.50/month)\n• Current free space: 0.8GB' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Memory Usage:*\n67.2%' },
            { type: 'mrkdwn', text: '*CPU Usage:*\n45.1%' },
            { type: 'mrkdwn', text: '*Disk Usage:*\n92.3%' },
            { type: 'mrkdwn', text: '*Disk Free:*\n0.8GB' },
          ],
        },
      ],
    });
  });

  it('memory warning uses ⚠️', () => {
    const message = buildSlackMessage(notification({ resource: 'memory', level: 'warning', title: 'chroma-primary - Memory Warning', summary: 'Memory usage WARNING: 84.0%', recommendations: ['Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month'] }), OPTIONS);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '⚠️ ChromaDB Resource Alert', emoji: true } });
    expect(message.text.split('\n').slice(0, 5)).toEqual([
      '⚠️ ChromaDB Resource Alert',
      'chroma-primary - Memory Warning',
      'Memory usage WARNING: 84.0%',
      'Upgrade Recommendation:',
      '• Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month',
    ]);
  });

  it('resolved uses ✅ and has no recommendation block', () => {
    const message = buildSlackMessage(notification({ level: 'ok', reason: 'resolved', title: 'chroma-primary - Disk Resolved', summary: 'Disk usage back to normal: 61.0% (Free: 3.9GB)', recommendations: [] }), OPTIONS);
    expect(message.blocks).toHaveLength(3);
    expect(message.text.startsWith('✅ ChromaDB Resource Alert\nchroma-primary - Disk Resolved\n')).toBe(true);
    expect(message.text).not.toContain('Upgrade Recommendation');
  });

  it('missing values show n/a', () => {
    const message = buildSlackMessage(notification({ snapshot: { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null } }), OPTIONS);
    expect(message.text).toContain('Memory Usage: n/a');
    expect(message.text).toContain('Disk Free: n/a');
  });

  it('escapes mrkdwn so a value cannot mention a channel or plant a link', () => {
    const message = buildSlackMessage(notification({ title: 'x - Disk Critical', summary: 'line 3: invalid number in: <!channel> <http://evil|click> & more' }), OPTIONS);
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<http://evil|click>');
    expect(json).toContain('&lt;!channel&gt; &lt;http://evil|click&gt; &amp; more');
  });

  it('respects Slack limits: header ≤ 150, section ≤ 3000 characters', () => {
    const long = 'a'.repeat(5000);
    const message = buildSlackMessage(notification({ title: long, recommendations: [long] }), { title: long });
    const blocks = message.blocks as Array<{ text?: { text: string } }>;
    expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
    for (const block of blocks.slice(1)) if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
  });

  it('20 services down become one grouped message', () => {
    const down = Array.from({ length: 25 }, (_, i) =>
      notification({ alertKey: `svc-${i}:service`, service: `svc-${i}`, resource: 'service', title: `svc-${i} - Service Down`, summary: `svc-${i} has failed 3 scrapes in a row: connection refused`, recommendations: [] }),
    );
    const message = buildGroupedSlackMessage(down, OPTIONS);
    expect(message.blocks).toHaveLength(3);
    expect(message.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*25 alerts (25 services down)*' } });
    const list = (message.blocks[2] as { text: { text: string } }).text.text.split('\n');
    expect(list[0]).toBe('🚨 *svc-0 - Service Down*: svc-0 has failed 3 scrapes in a row: connection refused');
    expect(list).toHaveLength(21);
    expect(list[20]).toBe('…and 5 more');
    expect(message.text.split('\n')[1]).toBe('25 alerts (25 services down)');
  });

  it('stdout gets the same text as the fallback', () => {
    expect(formatPlainAlert(notification(), OPTIONS)).toBe(buildSlackMessage(notification(), OPTIONS).text);
  });

  it('fault 5: a header cut at 150 never splits an emoji (the text stays valid UTF-16)', () => {
    const title = `${'a'.repeat(145)}🚨🚨🚨`; // "🚨 " + 145 a's = 148 units; the next emoji would straddle 150
    const header = (buildSlackMessage(notification(), { title }).blocks[0] as { text: { text: string } }).text.text;
    expect(header).toBe(`🚨 ${'a'.repeat(145)}…`);
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('fault 5: every text is within its Block Kit limit (section 3000, field 2000, message text 40 000), cut on code points', () => {
    const long = '🚨x'.repeat(30_000);
    const message = buildSlackMessage(notification({ title: long, summary: long, recommendations: [long, long], snapshot }), OPTIONS);
    const blocks = message.blocks as Array<{ text?: { text: string }; fields?: Array<{ text: string }> }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks.slice(1)) {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    expect(message.text.length).toBeLessThanOrEqual(40_000);
    expect(message.text.endsWith('…')).toBe(true);
    expect(JSON.stringify(message)).not.toMatch(/\\ud83d(?!\\udea8)/i);
    const grouped = buildGroupedSlackMessage(Array.from({ length: 30 }, () => notification({ summary: long })), OPTIONS);
    expect(grouped.text.length).toBeLessThanOrEqual(40_000);
    for (const block of grouped.blocks.slice(1) as Array<{ text: { text: string } }>) expect(block.text.text.length).toBeLessThanOrEqual(3000);
  });

  it('fault 6: *bold*, _italic_, ~strike~ and `code` from a target are shown literally, not as formatting', () => {
    const summary = 'chroma_primary has failed 3 scrapes in a row: line 2: *bold* _x_ ~gone~ `rm -rf` \n> quoted';
    const message = buildSlackMessage(notification({ resource: 'service', title: 'chroma_primary - Service Down', summary, recommendations: [] }), OPTIONS);
    const expected = 'chroma_primary has failed 3 scrapes in a row: line 2: \u2217bold\u2217 \uFF3Fx\uFF3F \u223Cgone\u223C \u02CBrm -rf\u02CB &gt; quoted';
    expect((message.blocks[1] as { text: { text: string } }).text.text).toBe(`*chroma_primary - Service Down*\n${expected}`);
    expect(message.text.split('\n')[2]).toBe(expected);
    const grouped = buildGroupedSlackMessage([notification({ summary }), notification({ summary })], OPTIONS);
    expect((grouped.blocks[2] as { text: { text: string } }).text.text.split('\n')[0]).toBe(`🚨 *chroma-primary - Disk Critical*: ${expected}`);
  });
});
