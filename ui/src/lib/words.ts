// Sentences made from what people typed: a name may end in its own full stop ("Jamie R.").

/** `text` ended by one full stop: "Saved Jamie R." rather than "Saved Jamie R..". */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
