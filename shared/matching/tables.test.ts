import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { communities } from '../demo/names';
import { KeyIndex, KeyList } from './keyIndex';
import { compareNames, LEVEL, nameFeatures, NameTable } from './names';
import { PairMap } from './pairMap';

function blockOf(index: KeyIndex, a: number, b: number): number[] {
  const slot = index.find(a, b);
  if (slot < 0) return [];
  return Array.from({ length: index.sizeOf(slot) }, (_, offset) => index.recordAt(index.startOf(slot) + offset));
}

describe('the matcher’s flat tables', () => {
  it('PairMap stores, overwrites, counts and grows like a Map of pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(50), fc.nat(1000)), { maxLength: 400 }), (writes) => {
        const map = new PairMap(2);
        const model = new Map<string, number>();
        for (const [a, b, value] of writes) {
          map.set(a, b, value);
          model.set(`${a},${b}`, value);
        }
        map.increment(999, 999);
        map.increment(999, 999);
        for (const [key, value] of model) {
          const [a, b] = key.split(',').map(Number);
          expect(map.get(a!, b!)).toBe(value);
        }
        expect(map.get(999, 999)).toBe(2);
        expect(map.get(1234, 5)).toBe(-1);
      }),
    );
  });

  it('KeyIndex lists each key’s records once each, in record order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat(8), fc.nat(3)), { maxLength: 6 }), { maxLength: 60 }), (keysByRecord) => {
        const keys = new KeyList();
        const model = new Map<string, number[]>();
        keysByRecord.forEach((recordKeys, record) => {
          for (const [a, b] of recordKeys) {
            keys.add(a, b, record);
            const list = model.get(`${a},${b}`) ?? [];
            if (!list.includes(record)) list.push(record);
            model.set(`${a},${b}`, list);
          }
        });
        const index = new KeyIndex(keys);
        for (let a = 0; a <= 8; a++)
          for (let b = 0; b <= 3; b++) expect(blockOf(index, a, b)).toEqual(model.get(`${a},${b}`) ?? []);
      }),
    );
  });

  it('NameTable gives every pair of names the level compareNames gives, cached or not', () => {
    const names = [
      ...new Set(communities.flatMap((community) => [...community.girls, ...community.boys, ...community.surnames])),
      'Kate',
      'Katie',
      'Bill',
      'Mary Ann',
      'Smith-Jones',
      'Emilia',
      'Emiily',
      '',
      '  ',
    ];
    const table = new NameTable();
    const ids = names.map((name) => table.id(name));
    fc.assert(
      fc.property(fc.nat(names.length - 1), fc.nat(names.length - 1), (i, j) => {
        const expected = LEVEL[compareNames(nameFeatures(names[i]), nameFeatures(names[j]))];
        expect(table.level(ids[i]!, ids[j]!)).toBe(expected);
        expect(table.level(ids[i]!, ids[j]!)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(table.id('  ')).toBe(0);
    expect(table.id('ZOË')).toBe(table.id('zoe'));
  });
});
