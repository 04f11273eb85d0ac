// parseStrictJson's fast path (one-pass scan + JSON.parse, momoa only when the scan is unsure or
// JSON.parse refuses) against the full momoa check alone: the same value or the same error, message
// included, for adversarial texts and for thousands of generated ones.
import { describe, expect, it } from 'vitest';
import { provesNoAmbiguity } from '../../../src/util/unambiguous-json-scan.js';
import { parseStrictJson, parseStrictJsonWithMomoa } from '../../../src/util/strict-json.js';
import { parseStrictJsonOnDemand } from '../../../src/util/strict-json-on-demand.js';

type Outcome = { value: unknown } | { error: string; name: string; path?: unknown; reason?: unknown };

function outcome(parse: (text: string) => unknown, text: string): Outcome {
  try {
    return { value: parse(text) };
  } catch (error) {
    const e = error as Error & { path?: unknown; reason?: unknown };
    return { error: e.message, name: e.name, path: e.path, reason: e.reason };
  }
}

function expectSameAsMomoa(text: string): void {
  const fast = outcome(parseStrictJson, text);
  const full = outcome(parseStrictJsonWithMomoa, text);
  // Object.is on the serialisation keeps -0 and key order visible; toEqual the structure.
  expect(fast, text).toEqual(full);
  if ('value' in fast && 'value' in full) expect(JSON.stringify(fast.value)).toBe(JSON.stringify(full.value));
}

const ADVERSARIAL: readonly string[] = [
  '{"a":1,"a":2}',
  '{"a":1,"\\u0061":2}',
  '{"\\u0061":1,"a":2}',
  '{"\\u0061":1,"\\u0062":2}',
  '{"a\\"":1,"a\\"":2}',
  '{"a\\\\":1,"a\\\\":2}',
  '{"a\\\\":1,"a":2}',
  '{"a":{"a":{"a":1}}}',
  '{"o":[{"k":1},{"k":1,"k":2}]}',
  '[{"k":1},{"k":2},{"k":3}]',
  '{"s":"{\\"a\\":1,\\"a\\":2}","a":1}',
  '{"s":"\\"a\\":1","a":1,"b":"a"}',
  '{"a":"a","b":"a"}',
  '{"a":[1,"a",{"b":1}],"b":{"a":1}}',
  ' \t\n\r{ "a" : 1 ,\n "b" :\t2 } \r\n',
  '{"a" :1, "a" :2}',
  '{"":1,"":2}',
  '{"":1," ":2}',
  '{"é":1,"e\\u0301":2}',
  '{"é":1,"\\u00e9":2}',
  '{"😀":1,"\\ud83d\\ude00":2}',
  '{"😀":1,"😀":2}',
  '{"u":"x\\ud800"}',
  '{"\\udc00":1}',
  '{"u":"\\ud83d\\ude00"}',
  '{"u":"\\\\ud800"}',
  '{"a":"\u2028\u2029"}',
  '\ufeff{"a":1}',
  '{"a":1,}',
  '{"a":1 /* c */}',
  '{"a":NaN}',
  "{'a':1}",
  '',
  '   ',
  '{"a":1} x',
  '{"a":1}}',
  '{"a":1',
  '{"a":"unterminated}',
  '[1,2,,3]',
  '{"a":-0,"b":1e400,"c":-1.5e-3,"d":123456789012345678901234567890}',
  '{"__proto__":{"x":1},"__proto__":{"y":2}}',
  '{"__proto__":{"x":1},"constructor":1}',
  '"\\u0061"',
  'null',
  '[]',
  '{}',
  '[[[[{"a":[{"a":1,"b":{"a":[]}}]}]]]]',
  `${'['.repeat(300)}${']'.repeat(300)}`,
  `${'{"a":'.repeat(300)}1${'}'.repeat(300)}`,
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  '{"a":1,"b":[{"a":1,"a":1}]}',
  '{"a\\n":1,"a\\u000a":2}',
  '{"a":"x","b":"y","c":{"d":"\\"}\\"","d":1}}',
  '{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"a":10}',
  '{"raw\ud800":1}',
  '["\udfff"]',
  '{"a":1}\u0000',
  '{"a":"\u0001"}',
];

describe('parseStrictJson fast path against momoa alone', () => {
  it(`gives the same value or error for ${ADVERSARIAL.length} adversarial texts`, () => {
    expect(ADVERSARIAL.length).toBeGreaterThanOrEqual(30);
    for (const text of ADVERSARIAL) expectSameAsMomoa(text);
  });

  it('really takes the fast path for plain payloads and leaves the unsure ones to momoa', () => {
    expect(provesNoAmbiguity('{"from":0,"to":"0xab","value":"1","data":"0x","nonce":3}')).toBe(true);
    expect(provesNoAmbiguity('[{"k":1},{"k":2}]')).toBe(true);
    expect(provesNoAmbiguity('{"s":"{\\"a\\":1,\\"a\\":2}","a":1}')).toBe(true);
    expect(provesNoAmbiguity('{"a":1,"a":2}')).toBe(false);
    expect(provesNoAmbiguity('{"a":1,"\\u0061":2}')).toBe(false);
    expect(provesNoAmbiguity('{"u":"\\ud83d\\ude00"}')).toBe(false);
    expect(provesNoAmbiguity(`${'['.repeat(300)}${']'.repeat(300)}`)).toBe(false);
  });

  it('gives the same value or error through parseStrictJsonOnDemand (momoa imported on first need)', async () => {
    const random = mulberry32(0x0d_e3a4d);
    const texts = [
      ...ADVERSARIAL,
      ...Array.from({ length: 500 }, () => mutate(generateDocument(random), random)),
    ];
    for (const text of texts) {
      const onDemand = await parseStrictJsonOnDemand(text).then(
        (value) => ({ value }),
        (error: unknown) =>
          outcome(() => {
            throw error;
          }, text),
      );
      expect(onDemand, text).toEqual(outcome(parseStrictJson, text));
    }
  });

  it('gives the same value or error for 4,000 generated documents, most of them on the fast path', () => {
    const random = mulberry32(0x5eed_1616);
    let fast = 0;
    let refusedByBoth = 0;
    const count = 4_000;
    for (let n = 0; n < count; n++) {
      const text = mutate(generateDocument(random), random);
      if (provesNoAmbiguity(text)) fast++;
      const full = outcome(parseStrictJsonWithMomoa, text);
      if ('error' in full) refusedByBoth++;
      expectSameAsMomoa(text);
    }
    // The generator is built to hit every branch: some duplicates and escapes, mostly plain documents.
    expect(fast).toBeGreaterThan(count / 3);
    expect(refusedByBoth).toBeGreaterThan(count / 10);
  });
});

/** Small seeded PRNG (mulberry32), so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Names from a small alphabet so that repeats are frequent; some escaped, some equal after unescaping. */
const NAMES = [
  'a',
  'b',
  'k',
  '',
  'é',
  '😀',
  '\\u0061',
  '\\u00e9',
  'a\\"',
  'a\\\\',
  '\\n',
  '\\u000a',
  '__proto__',
];
const STRINGS = [
  'x',
  '',
  '{\\"a\\":1,\\"a\\":2}',
  '\\"a\\":',
  '😀',
  '\\ud83d\\ude00',
  '\\ud800',
  '\\\\ud800',
  '\u2028',
  'é',
  '\\t\\/',
  '}]',
  'a,b:{',
];
const NUMBERS = ['0', '-0', '1', '-1.5e3', '1E+2', '123456789012345678901234567890', '0.000001'];
const SPACE = ['', '', '', ' ', '\n', '\t', '\r\n  '];

function generateDocument(random: () => number, depth = 0): string {
  const ws = () => pick(random, SPACE);
  const roll = random();
  if (depth < 5 && roll < 0.35) {
    const size = Math.floor(random() * 5);
    const members = Array.from(
      { length: size },
      () => `${ws()}"${pick(random, NAMES)}"${ws()}:${ws()}${generateDocument(random, depth + 1)}${ws()}`,
    );
    return `{${members.join(',')}${ws()}}`;
  }
  if (depth < 5 && roll < 0.55) {
    const size = Math.floor(random() * 4);
    const elements = Array.from(
      { length: size },
      () => `${ws()}${generateDocument(random, depth + 1)}${ws()}`,
    );
    return `[${elements.join(',')}]`;
  }
  if (roll < 0.75) return `"${pick(random, STRINGS)}"`;
  if (roll < 0.9) return pick(random, NUMBERS);
  return pick(random, ['true', 'false', 'null']);
}

/** One document in eight gets a syntax slip: a character dropped, doubled or a stray comma added. */
function mutate(text: string, random: () => number): string {
  if (random() >= 0.125 || text.length === 0) return text;
  const at = Math.floor(random() * text.length);
  const kind = random();
  if (kind < 0.4) return text.slice(0, at) + text.slice(at + 1);
  if (kind < 0.7) return text.slice(0, at) + text.charAt(at) + text.slice(at);
  return `${text.slice(0, at)},${text.slice(at)}`;
}
