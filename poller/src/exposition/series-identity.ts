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

import { FamilyNames } from './family-names.js';

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
  /** The body's text: a key spelled canonically in it is passed as a range of it, not as a string. */
  readonly text: string;
  readonly count: number;
  keyOf(index: number): string;
}

/** One per body: remembers what it needs of the series seen so far. */
export class SeriesIdentity {
  #runStart = 0;
  /** The run's last key: a string when it was not spelled canonically, else null and the range below. */
  #runKey: string | null = null;
  #runKeyStart = 0;
  #runKeyEnd = 0;
  #runKeys: Set<string> | null = null;
  #allKeys: Set<string> | null = null;
  readonly #names: FamilyNames;

  constructor(text: string) {
    this.#names = new FamilyNames(text);
  }

  /**
   * True when the series is new. Its name is text[nameStart, nameEnd), and
   * `newRun` says whether it differs from the name of the sample kept last.
   * Its canonical text is `key`, or, when `key` is null, the body's text in
   * [keyStart, keyEnd) (a series spelled canonically: no string is made for
   * it unless a set must hold it); `samples` are the body's samples kept
   * before this one.
   */
  admit(newRun: boolean, nameStart: number, nameEnd: number, key: string | null, keyStart: number, keyEnd: number, samples: SeriesKeys): boolean {
    if (this.#allKeys !== null) return addNew(this.#allKeys, key ?? samples.text.slice(keyStart, keyEnd));
    if (newRun) {
      if (!this.#names.add(nameStart, nameEnd)) {
        this.#allKeys = keysOf(samples, 0);
        return addNew(this.#allKeys, key ?? samples.text.slice(keyStart, keyEnd));
      }
      this.#runStart = samples.count;
      this.#setRunKey(key, keyStart, keyEnd);
      this.#runKeys = null;
      return true;
    }
    if (this.#runKeys !== null) return addNew(this.#runKeys, key ?? samples.text.slice(keyStart, keyEnd));
    if (this.#followsRunKey(nameEnd - nameStart, key, keyStart, keyEnd, samples.text)) {
      this.#setRunKey(key, keyStart, keyEnd);
      return true;
    }
    this.#runKeys = keysOf(samples, this.#runStart);
    return addNew(this.#runKeys, key ?? samples.text.slice(keyStart, keyEnd));
  }

  #setRunKey(key: string | null, keyStart: number, keyEnd: number): void {
    this.#runKey = key;
    this.#runKeyStart = keyStart;
    this.#runKeyEnd = keyEnd;
  }

  /** Whether the key sorts after the run's last one (as strings compare: by UTF-16 code units); both start with the run's name. */
  #followsRunKey(nameLength: number, key: string | null, keyStart: number, keyEnd: number, text: string): boolean {
    if (key === null && this.#runKey === null) return compareRanges(text, keyStart + nameLength, keyEnd, this.#runKeyStart + nameLength, this.#runKeyEnd) > 0;
    // A run mixing spellings: rare, so both keys are compared as strings.
    return (key ?? text.slice(keyStart, keyEnd)) > (this.#runKey ?? text.slice(this.#runKeyStart, this.#runKeyEnd));
  }
}

/** Sign of the comparison of text[aStart, aEnd) with text[bStart, bEnd), as `<`/`>` on the two slices would order them. */
function compareRanges(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const common = aLength < bLength ? aLength : bLength;
  for (let k = 0; k < common; k++) {
    const difference = text.charCodeAt(aStart + k) - text.charCodeAt(bStart + k);
    if (difference !== 0) return difference;
  }
  return aLength - bLength;
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
