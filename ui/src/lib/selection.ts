// Arrow-key movement through a list, wrapping at the ends; -1 means nothing is selected.
export function moveSelection(current: number, length: number, step: 1 | -1): number {
  if (length === 0) return -1;
  if (current < 0) return step === 1 ? 0 : length - 1;
  return (current + step + length) % length;
}

/** Digit keys 1-9 pick the first nine services, 0 the tenth. */
export function serviceIndexForKey(key: string): number | null {
  if (!/^[0-9]$/.test(key)) return null;
  return key === "0" ? 9 : Number(key) - 1;
}

/** Adds the id if missing, removes it if present; keeps catalog order. */
export function toggleService(selected: string[], id: string, catalogOrder: string[]): string[] {
  const next = selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
  return catalogOrder.filter((s) => next.includes(s));
}
