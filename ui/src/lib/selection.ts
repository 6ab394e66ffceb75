// Arrow-key movement through a list, wrapping at the ends; -1 means nothing is selected.
export function moveSelection(current: number, length: number, step: 1 | -1): number {
  if (length === 0) return -1;
  if (current < 0) return step === 1 ? 0 : length - 1;
  return (current + step + length) % length;
}

/** Digit keys 1-9 pick the first nine services, 0 the tenth. */
export function serviceIndexForKey(code: string, shift = false): number | null {
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(code)?.[1] ?? /^([0-9])$/.exec(code)?.[1];
  if (digit === undefined) return null;
  const index = digit === "0" ? 9 : Number(digit) - 1;
  // The eleventh to the twentieth service: Shift and the number, whatever it types on this layout.
  return shift ? index + 10 : index;
}

/** The keys that mark the service at `index`, as the panel shows them: "1" … "0", "⇧1" … "⇧0". */
export function serviceKeyLabel(index: number): string | null {
  if (index >= 20) return null;
  return `${index >= 10 ? "⇧" : ""}${(index + 1) % 10}`;
}

/** Adds the id if missing, removes it if present; keeps catalog order. */
export function toggleService(selected: string[], id: string, catalogOrder: string[]): string[] {
  const next = selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
  return catalogOrder.filter((s) => next.includes(s));
}
