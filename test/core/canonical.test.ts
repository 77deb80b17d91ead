import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../core/canonical.ts';

/** Rebuilds every object with its keys in a random order. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(() => random() - 0.5);
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, random)]));
  }
  return value;
}

const json = fc.jsonValue({ noUnicodeString: false }).filter((v) => !Object.is(v, -0));

describe('canonicalJson', () => {
  it('sorts keys and drops whitespace (RFC 8785)', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[3,"x"]},"b":1}');
  });

  it('encodes numbers the ECMAScript way', () => {
    expect(canonicalJson([1.0, 1e21, 0.000001, -0.5])).toBe('[1,1e+21,0.000001,-0.5]');
  });

  it('never changes the hash when only key order changes', () => {
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        let state = seed;
        const random = () => {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          return state / 0x7fffffff;
        };
        expect(sha256Hex(canonicalJson(shuffleKeys(value, random)))).toBe(sha256Hex(canonicalJson(value)));
      }),
    );
  });

  it('changes the hash whenever the content changes', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(sha256Hex(canonicalJson({ v: a }))).not.toBe(sha256Hex(canonicalJson({ v: b })));
      }),
    );
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson(undefined)).toThrow(/no JSON representation/);
  });
});
