/**
 * The metric names a body has used so far, to tell a name that comes back
 * after other names (series-identity.ts). One lookup per run of a name, so
 * its cost and memory are per family: an open-addressing hash table whose
 * slots live in an Int32Array, outside the V8 heap, where a Set<string> would
 * put a growing hash table into the young generation of every scan (see
 * sample-columns.ts for why that matters). The names themselves are the
 * strings the scan already made, held once each.
 */

/** Slots for this many characters of body, at first: about two per family of a node_exporter body. */
const CHARACTERS_PER_SLOT_GUESS = 128;
const MIN_SLOTS = 64;

export class FamilyNames {
  readonly #names: string[] = [];
  /** Hash of each name, by position in #names, so growing never hashes a name twice. */
  #hashes: Int32Array;
  /** Position in #names + 1 of the name in each slot; 0 for an empty slot. A power of two long, at most half full. */
  #slots: Int32Array;

  constructor(textLength: number) {
    let slots = MIN_SLOTS;
    while (slots < textLength / CHARACTERS_PER_SLOT_GUESS) slots *= 2;
    this.#slots = new Int32Array(slots);
    this.#hashes = new Int32Array(slots / 2);
  }

  /** Adds `name`; false when it was there already. */
  add(name: string): boolean {
    const hash = hashOf(name);
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot]!;
      if (held === 0) {
        this.#slots[slot] = this.#store(name, hash);
        if (this.#names.length * 2 > this.#slots.length) this.#grow();
        return true;
      }
      if (this.#hashes[held - 1] === hash && this.#names[held - 1] === name) return false;
    }
  }

  /** Keeps the name and its hash; returns its slot entry (position + 1). */
  #store(name: string, hash: number): number {
    const position = this.#names.length;
    if (position === this.#hashes.length) {
      const hashes = new Int32Array(this.#hashes.length * 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    this.#hashes[position] = hash;
    this.#names.push(name);
    return position + 1;
  }

  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let position = 0; position < this.#names.length; position++) {
      let slot = this.#hashes[position]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = position + 1;
    }
    this.#slots = slots;
  }
}

/** FNV-1a over the name's UTF-16 code units (metric names are ASCII), as a signed 32-bit integer. */
function hashOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < name.length; k++) hash = Math.imul(hash ^ name.charCodeAt(k), 0x01000193);
  return hash;
}
