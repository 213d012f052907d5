/**
 * Reads one config object strictly, collecting problems with their field
 * paths instead of stopping at the first: the user fixes the whole file in
 * one go. Every reader returns the default (or null) when a value is wrong,
 * so parsing goes on and finds the next problem.
 */
import { errorMessage } from '../errors.js';
import { parseDuration, parseSize } from '../units.js';
import type { ConfigProblem } from './types.js';

export type RawObject = Record<string, unknown>;

export function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a.b` / `a[2].b` joining, with the root as the empty path. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

export class FieldReader {
  constructor(
    readonly problems: ConfigProblem[],
    readonly path: string,
    readonly raw: RawObject,
  ) {}

  problem(key: string | null, message: string): void {
    this.problems.push({ path: key === null ? this.path || '(root)' : childPath(this.path, key), message });
  }

  /**
   * Reports every key not in `known`. A key that does not look like a setting
   * name is file content read as YAML (a config symlinked to a system file),
   * so it is not printed, only its length (issue 11, fault 10).
   */
  rejectUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (known.includes(key)) continue;
      if (/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key)) this.problem(key, `unknown key (expected one of: ${known.join(', ')})`);
      else this.problem(null, `an unknown key of ${key.length} characters, not shown: it does not look like a setting name (expected one of: ${known.join(', ')})`);
    }
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  /** A nested object reader; an absent key reads as an empty object. */
  object(key: string): FieldReader {
    const value = this.raw[key];
    if (value === undefined || value === null) return new FieldReader(this.problems, childPath(this.path, key), {});
    if (!isObject(value)) {
      this.problem(key, 'must be a mapping');
      return new FieldReader(this.problems, childPath(this.path, key), {});
    }
    return new FieldReader(this.problems, childPath(this.path, key), value);
  }

  string(key: string, fallback: string): string;
  string(key: string, fallback: null): string | null;
  string(key: string, fallback: string | null): string | null {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(key, 'must be a non-empty string');
      return fallback;
    }
    return value;
  }

  /** Durations as strings (`30s`, `6h`) in ms. */
  duration(key: string, fallback: number): number {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' && value !== 0) {
      this.problem(key, `must be a duration string like "30s", "6h" or "1d"`);
      return fallback;
    }
    try {
      return parseDuration(String(value));
    } catch (error) {
      this.problem(key, errorMessage(error));
      return fallback;
    }
  }

  /** Sizes as strings (`800MiB`, `1GiB`) in bytes. */
  size(key: string, fallback: number): number {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') {
      this.problem(key, `must be a size string like "800MiB" or "10GiB"`);
      return fallback;
    }
    try {
      return parseSize(value);
    } catch (error) {
      this.problem(key, errorMessage(error));
      return fallback;
    }
  }

  /**
   * A size that must be greater than zero: a threshold, limit or disk of 0
   * bytes makes every ratio against it meaningless (and once made the
   * database recommendation loop forever).
   */
  positiveSize(key: string, fallback: number): number {
    const before = this.problems.length;
    const bytes = this.size(key, fallback);
    if (this.problems.length > before) return bytes; // already reported as not a size: one problem per field
    if (this.has(key) && !(bytes > 0 && Number.isFinite(bytes))) {
      this.problem(key, bytes > 0 ? 'is too large' : 'must be greater than 0');
      return fallback;
    }
    return bytes;
  }

  /** A duration that must be greater than zero (a window or period of 0 means nothing). */
  positiveDuration(key: string, fallback: number): number {
    const before = this.problems.length;
    const ms = this.duration(key, fallback);
    if (this.problems.length > before) return ms;
    if (this.has(key) && !(ms > 0 && Number.isFinite(ms))) {
      this.problem(key, ms > 0 ? 'is too large' : 'must be greater than 0');
      return fallback;
    }
    return ms;
  }

  /** A number within [min, max]; integers only when `integer`. */
  number(key: string, fallback: number, range: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean }): number {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    const kind = range.integer ? 'an integer' : 'a number';
    const low = range.exclusiveMin ? `greater than ${range.min}` : `at least ${range.min}`;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (range.integer && !Number.isInteger(value)) ||
      (range.exclusiveMin ? value <= range.min : value < range.min) ||
      value > range.max
    ) {
      this.problem(key, `must be ${kind} ${low} and at most ${range.max}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  }
}
