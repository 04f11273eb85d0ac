// parseStrictJson: JSON.parse's value, but duplicate names, lone surrogates and invalid UTF-8 refused
// with the path of the offending member.
import { describe, expect, it } from 'vitest';
import {
  decodeUtf8Strict,
  parseStrictJson,
  parseStrictJsonBytes,
  StrictJsonError,
} from '../../../src/util/strict-json.js';

function refusal(run: () => unknown): StrictJsonError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StrictJsonError);
    return error as StrictJsonError;
  }
  throw new Error('expected a StrictJsonError');
}

describe('parseStrictJson', () => {
  it('returns what JSON.parse returns for well-formed JSON (also astral characters and __proto__)', () => {
    const text = '{"a":[1,{"b":"😀","c":null}],"__proto__":{"x":1},"n":-1.5e3}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    expect(parseStrictJson('"\\ud83d\\ude00"')).toBe('😀');
  });

  it('names the path of a duplicate key, at any depth', () => {
    expect(refusal(() => parseStrictJson('{"a":1,"a":2}'))).toMatchObject({
      path: 'a',
      reason: 'duplicate key',
    });
    expect(refusal(() => parseStrictJson('{"o":[{"k":1},{"k":1,"k":2}]}')).path).toBe('o[1].k');
    // Equal after unescaping is equal: "\u0061" is "a".
    expect(refusal(() => parseStrictJson('{"a":1,"\\u0061":2}')).path).toBe('a');
    // The same name in sibling objects is fine.
    expect(parseStrictJson('[{"k":1},{"k":2}]')).toEqual([{ k: 1 }, { k: 2 }]);
  });

  it('refuses lone surrogates in values and names', () => {
    expect(refusal(() => parseStrictJson('{"u":"x\\ud800"}')).path).toBe('u');
    expect(refusal(() => parseStrictJson('{"\\udc00":1}')).reason).toContain('surrogate');
  });

  it('refuses what strict JSON does not allow (comments, trailing commas, NaN) as not valid JSON', () => {
    for (const text of ['{"a":1,}', '{"a":1 /* c */}', '{"a":NaN}', "{'a':1}", '', '{"a":1} x']) {
      expect(
        refusal(() => parseStrictJson(text)),
        text,
      ).toMatchObject({ path: '(body)' });
    }
  });

  it('parses nesting a real payload has; refuses absurd nesting with a StrictJsonError, not a crash', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => parseStrictJson(nested(1_000))).not.toThrow();
    expect(refusal(() => parseStrictJson(nested(100_000))).path).toBe('(body)');
  });
});

describe('decodeUtf8Strict', () => {
  it('refuses invalid UTF-8 instead of substituting U+FFFD', () => {
    for (const bytes of [
      [0xff],
      [0xc3],
      [0xed, 0xa0, 0x80] /* encoded surrogate */,
      [0xc0, 0xaf] /* overlong */,
    ]) {
      expect(refusal(() => decodeUtf8Strict(Uint8Array.from(bytes))).reason).toBe('is not valid UTF-8');
    }
    expect(decodeUtf8Strict(new TextEncoder().encode('héllo 😀'))).toBe('héllo 😀');
    expect(parseStrictJsonBytes(new TextEncoder().encode('{"a":"é"}'))).toEqual({ a: 'é' });
  });
});
