import { describe, expect, it } from 'vitest';
import { formatDuration, formatGb, parseDuration, parseSize } from '../src/index.js';

describe('units', () => {
  it.each([
    ['30s', 30_000], ['6h', 21_600_000], ['1d', 86_400_000], ['250ms', 250], ['1.5m', 90_000], ['0', 0], ['2w', 1_209_600_000],
  ])('duration %s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '6 hours', '-1s', '1y', 's', '1e3s'])('rejects duration %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });

  it.each([
    ['800MiB', 800 * 1024 ** 2], ['1GiB', 1024 ** 3], ['10GB', 10e9], ['512 KiB', 512 * 1024], ['1.5GiB', 1.5 * 1024 ** 3], ['7B', 7],
  ])('size %s = %i bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', '1', '1gib', 'MiB', '-1GiB', '1PiB'])('rejects size %j', (text) => {
    expect(() => parseSize(text)).toThrow(/is not a size/);
  });

  it.each([[21_600_000, '6h'], [86_400_000, '1d'], [90_000, '90s'], [0, '0'], [1500, '1500ms']])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats GB with one decimal', () => {
    expect(formatGb(0.8 * 1024 ** 3)).toBe('0.8GB');
  });
});
