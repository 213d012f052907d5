/**
 * Finds a series written twice in one body (same name, same label set),
 * which fails the body as in client_golang's parser.
 *
 * A series' identity is its canonical text `name{a="x",b="y"}` (names
 * sorted, values escaped as the format writes them): the same series spelled
 * two ways (label order, blanks, a trailing comma) still collides.
 *
 * Hashing every key into a set costs more than the rest of a sample's
 * parse, so the common case takes a cheaper route: exporters write a
 * family's series together and, client_golang at least, sorted. Within a run
 * of one name whose keys keep increasing no two can be equal, so nothing is
 * stored. A run that steps back gets a set of its own keys; a name that
 * comes back after other names compares against every key of the body.
 */

const escapeLabelValue = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** The canonical text of a series, built from parsed labels (used for spellings that are not canonical already). */
export function canonicalSeriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (names.length === 0) return name;
  if (names.length > 1) names.sort();
  return `${name}{${names.map((label) => `${label}="${escapeLabelValue(labels[label]!)}"`).join(',')}}`;
}

/** The body's kept samples so far, whose keys are rebuilt only when the cheap route no longer applies. */
export interface SeriesKeys {
  readonly count: number;
  keyOf(index: number): string;
}

/** One per body: remembers what it needs of the series seen so far. */
export class SeriesIdentity {
  #runName = '';
  #runStart = 0;
  #runKey = '';
  #runKeys: Set<string> | null = null;
  #allKeys: Set<string> | null = null;
  readonly #names = new Set<string>();

  /**
   * True when the series is new. `key` is its canonical text; `samples` are
   * the body's samples kept before this one.
   */
  admit(name: string, key: string, samples: SeriesKeys): boolean {
    if (this.#allKeys !== null) return addNew(this.#allKeys, key);
    if (name !== this.#runName) {
      if (this.#names.has(name)) {
        this.#allKeys = keysOf(samples, 0);
        return addNew(this.#allKeys, key);
      }
      this.#names.add(name);
      this.#runName = name;
      this.#runStart = samples.count;
      this.#runKey = key;
      this.#runKeys = null;
      return true;
    }
    if (this.#runKeys !== null) return addNew(this.#runKeys, key);
    if (key > this.#runKey) {
      this.#runKey = key;
      return true;
    }
    this.#runKeys = keysOf(samples, this.#runStart);
    return addNew(this.#runKeys, key);
  }
}

function keysOf(samples: SeriesKeys, from: number): Set<string> {
  const keys = new Set<string>();
  for (let i = from; i < samples.count; i++) keys.add(samples.keyOf(i));
  return keys;
}

function addNew(keys: Set<string>, key: string): boolean {
  const size = keys.size;
  keys.add(key);
  return keys.size !== size;
}
