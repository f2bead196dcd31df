/**
 * tenant-billing writes amounts, quantities and prices as exact JSON numbers (`0.0000125`, 20 significant digits if it
 * must). JSON.parse would turn them into doubles and lose digits, so the billing pages ask openapi-fetch for the text
 * and read it here: every number literal becomes the string of its digits, exactly as sent.
 */

/** A schema with its numbers as the decimal strings they were sent as. */
export type Exact<T> = T extends number
  ? string
  : T extends readonly (infer U)[]
    ? Exact<U>[]
    : T extends object
      ? { [K in keyof T]: Exact<T[K]> }
      : T;

const NUMBER_START = /[-0-9]/;
const NUMBER_CHAR = /[-+0-9.eE]/;

/** JSON text with each number literal outside strings turned into a string literal of the same characters. */
export function quoteNumbers(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      // copy the string literal through, escapes included
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (NUMBER_START.test(c)) {
      let j = i + 1;
      while (j < text.length && NUMBER_CHAR.test(text[j]!)) j++;
      out += `"${text.slice(i, j)}"`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Reads a billing answer with its numbers kept exact (as strings). */
export function readExact<T>(text: string): Exact<T> {
  return JSON.parse(quoteNumbers(text)) as Exact<T>;
}
