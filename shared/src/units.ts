/**
 * Durations (`30s`, `6h`, `1d`) and sizes (`800MiB`, `1GiB`, `10GB`) as
 * written in config and on the command line. Parsing is strict: a value
 * that is not exactly a number and a known unit is an error.
 */
import { ErrorCode, MonitorError } from './errors.js';

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const SIZE_UNITS_BYTES: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/** `30s` → 30000. `0` alone means zero. Throws UNIT_INVALID otherwise. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match) {
    throw new MonitorError(
      ErrorCode.UnitInvalid,
      `"${text}" is not a duration (use a number and one of ms, s, m, h, d, w: "30s", "6h", "1d")`,
    );
  }
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2]!]!);
}

/** `1GiB` → 1073741824. Throws UNIT_INVALID otherwise. */
export function parseSize(text: string): number {
  const match = SIZE_PATTERN.exec(text.trim());
  if (!match) {
    throw new MonitorError(
      ErrorCode.UnitInvalid,
      `"${text}" is not a size (use a number and one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB: "800MiB", "10GiB")`,
    );
  }
  return Math.round(Number(match[1]) * SIZE_UNITS_BYTES[match[2]!]!);
}

/** 21600000 → `6h`; picks the largest unit that divides exactly. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = DURATION_UNITS_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export const BYTES_PER_GB = 1024 ** 3;

/** Bytes as GB with one decimal, the way the alerts speak (binary GB, as Render sizes disks). */
export function formatGb(bytes: number): string {
  return `${(bytes / BYTES_PER_GB).toFixed(1)}GB`;
}
