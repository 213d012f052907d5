/**
 * The alert-damping and CPU-window settings (SPEC §8 "Revisions"): top-level
 * keys of the config file, read strictly like every other section.
 */
import { formatDuration } from '../units.js';
import { DEFAULTS } from './defaults.js';
import type { FieldReader } from './field-reader.js';
import type { AlertTuning } from './types.js';

/** Top-level keys this section owns. */
export const ALERT_TUNING_KEYS = ['resolve_after', 'cpu_window', 'no_data_after', 'flapping'] as const;

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
  if (tuning.cpuWindowMs > DEFAULTS.maxCpuWindowMs) root.problem('cpu_window', `must be at most ${formatDuration(DEFAULTS.maxCpuWindowMs)}, got ${formatDuration(tuning.cpuWindowMs)}`);
  return tuning;
}
