/**
 * The metric names a body has used so far, to tell a name that comes back
 * after other names (series-identity.ts). One lookup per run of a name, so
 * its cost and memory are per family, and nothing of it is on the V8 heap:
 * an open-addressing hash table whose slots, hashes and names (as ranges of
 * the body's text) are Int32Arrays, where a Set<string> would put a growing
 * hash table and a string per family into the young generation of every
 * scan (sample-columns.ts says why that matters).
 */

/** Slots for this many characters of body, at first: about two per family of a node_exporter body. */
const CHARACTERS_PER_SLOT_GUESS = 128;
const MIN_SLOTS = 64;

export class FamilyNames {
  #count = 0;
  /** Per name, in the order added: its hash, start and end in the text. */
  #names: Int32Array;
  /** Position + 1 of the name in each slot; 0 for an empty slot. A power of two long, at most half full. */
  #slots: Int32Array;

  constructor(private readonly text: string) {
    let slots = MIN_SLOTS;
    while (slots < text.length / CHARACTERS_PER_SLOT_GUESS) slots *= 2;
    this.#slots = new Int32Array(slots);
    this.#names = new Int32Array((slots / 2) * 3);
  }

  /** Adds the name text[start, end); false when it was there already. */
  add(start: number, end: number): boolean {
    const text = this.text;
    let hash = 0x811c9dc5; // FNV-1a over the UTF-16 code units (metric names are ASCII)
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot]!;
      if (held === 0) {
        this.#slots[slot] = this.#store(hash, start, end);
        if (this.#count * 2 > this.#slots.length) this.#grow();
        return true;
      }
      if (this.#names[(held - 1) * 3] === hash && this.#equals(held - 1, start, end)) return false;
    }
  }

  #equals(position: number, start: number, end: number): boolean {
    const heldStart = this.#names[position * 3 + 1]!;
    const length = end - start;
    if (this.#names[position * 3 + 2]! - heldStart !== length) return false;
    const text = this.text;
    for (let k = 0; k < length; k++) if (text.charCodeAt(heldStart + k) !== text.charCodeAt(start + k)) return false;
    return true;
  }

  /** Keeps the name; returns its slot entry (position + 1). */
  #store(hash: number, start: number, end: number): number {
    const position = this.#count++;
    if (position * 3 === this.#names.length) {
      const names = new Int32Array(this.#names.length * 2);
      names.set(this.#names);
      this.#names = names;
    }
    this.#names[position * 3] = hash;
    this.#names[position * 3 + 1] = start;
    this.#names[position * 3 + 2] = end;
    return position + 1;
  }

  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let position = 0; position < this.#count; position++) {
      let slot = this.#names[position * 3]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = position + 1;
    }
    this.#slots = slots;
  }
}
