import { describe, expect, it } from 'vitest';
import { escapeControl, ManualClock, MAX_LOG_MESSAGE_LENGTH, Redactor } from '@chroma-monitor/shared';
import { createLogger } from '../src/app/logger.js';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger(new Redactor(secrets), new ManualClock(T0), (line) => lines.push(line));
  return { logger, lines };
}

describe('log lines (issue 11, fault 18: log forging)', () => {
  it('fault 18: newlines and terminal escapes from a Slack reply or a PostgreSQL error cannot forge lines, colours or titles', () => {
    const { logger, lines } = capture();
    logger.warn('notifier: HTTP 400 bad\n2026-11-29T12:00:00.000Z info all good\r\u001b[31mred\u001b]0;pwned\u0007\u2028x');
    expect(lines).toEqual(['2026-11-29T12:00:00.000Z warn notifier: HTTP 400 bad\\n2026-11-29T12:00:00.000Z info all good\\r\\x1b[31mred\\x1b]0;pwned\\x07\\u2028x\n']);
  });

  it('fault 18: a 10 MiB error becomes one bounded line that says how long it was', () => {
    const { logger, lines } = capture();
    logger.error(`store: ${'e'.repeat(10 * 1024 * 1024)}`);
    expect(lines).toHaveLength(1);
    const message = lines[0]!.slice('2026-11-29T12:00:00.000Z error '.length, -1);
    expect(message.length).toBe(MAX_LOG_MESSAGE_LENGTH);
    expect(message.endsWith(`… (${10 * 1024 * 1024 + 7} bytes)`)).toBe(true);
  });

  it('redacts before bounding: a secret at the cut leaves no fragment', () => {
    const secret = 'never-shown-secret';
    const { logger, lines } = capture([secret]);
    logger.warn(`${'x'.repeat(MAX_LOG_MESSAGE_LENGTH - 30)}${secret}${'y'.repeat(100)}`);
    expect(lines[0]).not.toContain('never-');
    expect(lines[0]).not.toContain('secret');
  });

  it.each([
    ['tab', '\t', '\\t'],
    ['NUL', '\u0000', '\\x00'],
    ['DEL', '\u007f', '\\x7f'],
    ['C1 CSI', '\u009b', '\\x9b'],
    ['paragraph separator', '\u2029', '\\u2029'],
    ['emoji stays', '🚨', '🚨'],
  ])('escapeControl: %s', (_name, input, expected) => {
    expect(escapeControl(input)).toBe(expected);
  });
});
