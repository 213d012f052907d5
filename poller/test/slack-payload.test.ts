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
});
