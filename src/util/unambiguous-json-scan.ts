// A fast proof, for the common case, that a JSON text has nothing parseStrictJson refuses beyond what
// JSON.parse itself refuses: one pass over the characters, no tree. It answers true only when it is sure
// — no object repeats a member name, no lone surrogate can hide in the text, nesting is shallow enough
// for momoa — and false for anything it does not settle (a repeated name, a name with an escape, any
// \uD800–\uDFFF escape, deep nesting), leaving those to the full check, which words the refusal.
// The grammar is not checked here: the caller still runs JSON.parse, and falls back when it throws.

/** Deeper texts go to momoa, whose recursive parser refuses very deep nesting (JSON.parse would not). */
const MAX_FAST_DEPTH = 256;
/** A raw lone surrogate anywhere (a valid pair is one astral code point, not Cs). */
const LONE_SURROGATE = /\p{Cs}/u;
/** Any surrogate escape, paired or not (or text that merely looks like one): the full check decides. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * True when `text` certainly has no duplicate member name and no lone surrogate, and is nested at most
 * MAX_FAST_DEPTH deep; false when it may have any of them or the scan cannot tell.
 */
export function provesNoAmbiguity(text: string): boolean {
  if (LONE_SURROGATE.test(text) || SURROGATE_ESCAPE.test(text)) return false;
  // One set of names per open container; undefined for arrays.
  const names: (Set<string> | undefined)[] = [];
  let expectName = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const start = i + 1;
      let escaped = false;
      for (i = start; i < length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) {
          escaped = true;
          i++; // the escaped character, whatever it is, cannot end the string
        }
      }
      if (!expectName) continue;
      expectName = false;
      // An escaped name may equal another one only after unescaping ("a" and "\u0061").
      if (escaped) return false;
      const name = text.slice(start, i);
      const seen = names.at(-1);
      if (seen === undefined || seen.has(name)) return false;
      seen.add(name);
    } else if (code === OPEN_OBJECT) {
      if (names.push(new Set()) > MAX_FAST_DEPTH) return false;
      expectName = true;
    } else if (code === OPEN_ARRAY) {
      if (names.push(undefined) > MAX_FAST_DEPTH) return false;
      expectName = false;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      names.pop();
      expectName = false;
    } else if (code === COMMA) {
      expectName = names.at(-1) !== undefined;
    }
  }
  return true;
}

/**
 * JSON.parse's value when the scan proves `text` unambiguous and it parses; undefined when the full check
 * must decide (the scan cannot settle it, or JSON.parse refuses it: the full check words that refusal).
 */
export function parseIfProvablyUnambiguous(text: string): { value: unknown } | undefined {
  if (!provesNoAmbiguity(text)) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
