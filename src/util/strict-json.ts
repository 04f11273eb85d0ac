// JSON as every reader of it must see it. JSON.parse keeps the LAST of two equal member names, while
// other parsers (the approval service's, a browser's, Python's json with object_pairs_hook) may keep
// the first; RFC 8259 §4 says names "SHOULD be unique" and leaves duplicates' meaning to the parser. So
// a body or payload we act on is refused when it has a duplicate name, invalid UTF-8 bytes (a lenient
// decoder turns them into U+FFFD, so the text stored is not the text sent: RFC 8259 §8.1 requires
// UTF-8), or a lone surrogate escape ("\ud800", which no UTF-8 store can hold: the driver would write
// U+FFFD). The grammar check is @humanwhocodes/momoa's strict `json` mode; the value is JSON.parse's.
import { parse, type Node } from '@humanwhocodes/momoa';
import { StrictJsonError, WHOLE_TEXT as ROOT, decodeUtf8Strict } from './strict-json-error.js';
import { parseIfProvablyUnambiguous } from './unambiguous-json-scan.js';

export { StrictJsonError, decodeUtf8Strict } from './strict-json-error.js';

/** In a `u` regex a lone surrogate is a code point of category Cs; a valid pair is one astral code point. */
const LONE_SURROGATE = /\p{Cs}/u;

const childPath = (parent: string, key: string | number): string => {
  if (typeof key === 'number') return `${parent === ROOT ? '' : parent}[${key}]`;
  return parent === ROOT ? key : `${parent}.${key}`;
};

/** Walks the tree without recursion (deeply nested input must not overflow the stack). */
function checkTree(root: Node): void {
  const stack: { node: Node; path: string }[] = [{ node: root, path: ROOT }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, path } = item;
    if (node.type === 'String' && LONE_SURROGATE.test((node as Node & { value: string }).value)) {
      throw new StrictJsonError(path, 'contains a lone UTF-16 surrogate (\\uD800-\\uDFFF escape)');
    }
    if (node.type === 'Array') {
      const { elements } = node as Node & { elements: { value: Node }[] };
      elements.forEach((element, i) => stack.push({ node: element.value, path: childPath(path, i) }));
    }
    if (node.type !== 'Object') continue;
    const seen = new Set<string>();
    for (const member of (node as Node & { members: { name: Node; value: Node }[] }).members) {
      const name = (member.name as Node & { value: string }).value;
      const at = childPath(path, name);
      if (LONE_SURROGATE.test(name))
        throw new StrictJsonError(at, 'the name contains a lone UTF-16 surrogate');
      if (seen.has(name)) throw new StrictJsonError(at, 'duplicate key');
      seen.add(name);
      stack.push({ node: member.value, path: at });
    }
  }
}

/**
 * JSON.parse, but refusing what readers could disagree on: duplicate member names and lone surrogates.
 * Throws StrictJsonError (path + reason); a syntax error has path `(body)`, and so has nesting too deep
 * for momoa's recursive parser (a few thousand levels: its stack overflow is caught and refused).
 * Most texts are settled by a one-pass scan and JSON.parse alone; momoa's full parse runs only for what
 * the scan cannot prove unambiguous or JSON.parse refuses, so every refusal is worded as before.
 */
export function parseStrictJson(text: string): unknown {
  const settled = parseIfProvablyUnambiguous(text);
  return settled ? settled.value : parseStrictJsonWithMomoa(text);
}

/** The full check alone: momoa's AST, walked for duplicate names and lone surrogates, then JSON.parse. */
export function parseStrictJsonWithMomoa(text: string): unknown {
  let document;
  try {
    document = parse(text, { mode: 'json' });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StrictJsonError(ROOT, `not valid JSON (${detail})`);
  }
  checkTree(document.body);
  return JSON.parse(text) as unknown;
}

/** decodeUtf8Strict then parseStrictJson: for raw request or response bytes. */
export function parseStrictJsonBytes(bytes: Uint8Array): unknown {
  return parseStrictJson(decodeUtf8Strict(bytes));
}
