/**
 * The alert-damping and CPU-window settings (SPEC §8 "Revisions"): top-level
 * keys of the config file, read strictly like every other section.
 */
import { DEFAULTS } from './defaults.js';
import type { FieldReader } from './field-reader.js';
import { parseDigestSchedule } from './digest-schedule.js';
import type { AlertTuning, DigestConfig } from './types.js';

/** Top-level keys this section owns. */
export const ALERT_TUNING_KEYS = ['resolve_after', 'cpu_window', 'no_data_after', 'flapping', 'digest'] as const;

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

export function alertTuning(root: FieldReader): AlertTuning {
  const defaults = DEFAULTS.alerting;
  const flapping = root.object('flapping');
  flapping.rejectUnknown(['max_changes', 'window', 'stable_for']);
  const tuning: AlertTuning = {
    // 0 is allowed: resolve at once, as before flap damping existed.
    resolveAfterMs: root.duration('resolve_after', defaults.resolveAfterMs),
    cpuWindowMs: root.positiveDuration('cpu_window', defaults.cpuWindowMs),
    noDataAfterScrapes: root.number('no_data_after', defaults.noDataAfterScrapes, { min: 1, max: 1000, integer: true }),
    flapping: {
      maxChanges: flapping.number('max_changes', defaults.flapping.maxChanges, { min: 2, max: 1000, integer: true }),
      windowMs: flapping.positiveDuration('window', defaults.flapping.windowMs),
      stableForMs: flapping.positiveDuration('stable_for', defaults.flapping.stableForMs),
    },
  };
  return tuning;
}
