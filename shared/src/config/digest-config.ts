/**
 * The scheduled capacity digest's config section (`digest:`, SPEC §8), read
 * strictly like every other section; the schedule rules are in digest-schedule.ts.
 */
import { parseDigestSchedule } from './digest-schedule.js';
import type { FieldReader } from './field-reader.js';
import type { DigestConfig } from './types.js';

/** `digest: { every: 7d, at: "Mon 09:00" }`; absent = off. */
export function digestConfig(root: FieldReader): DigestConfig | null {
  if (!root.has('digest')) return null;
  const reader = root.object('digest');
  reader.rejectUnknown(['every', 'at']);
  const everyMs = reader.duration('every', 7 * 86_400_000);
  const at = reader.string('at', 'Mon 09:00');
  const parsed = parseDigestSchedule(everyMs, at);
  if (!parsed.ok) {
    const [key, ...rest] = parsed.problem.split(': ');
    reader.problem(key!, rest.join(': '));
    return null;
  }
  return { everyMs, at, schedule: parsed.schedule };
}
