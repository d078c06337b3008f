import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { communities } from '../demo/names';
import { joinKeys, KeyList, PairList, pairsByLeft, PartitionedKeys } from './keyJoin';
import { compareNames, LEVEL, nameFeatures, NameTable } from './names';
import { descendingRanks, orderByKey } from './order';
import { PairMap, pairHash } from './pairMap';

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

  it('joinKeys pairs each left record with the right records sharing a key, once per key, within its limit', () => {
    const keyArb = fc.tuple(fc.nat(8), fc.nat(3));
    fc.assert(
      fc.property(
        fc.array(fc.array(keyArb, { maxLength: 6 }), { maxLength: 60 }),
        fc.array(fc.array(fc.tuple(keyArb, fc.integer({ min: 0, max: 6 })), { maxLength: 6 }), { maxLength: 30 }),
        fc.nat(4),
        (rightKeys, leftKeys, bits) => {
          const right = new KeyList('test: right keys');
          const blocks = new Map<string, number[]>();
          rightKeys.forEach((keys, record) => {
            for (const [a, b] of keys) {
              right.add(a, b, record);
              const block = blocks.get(`${a},${b}`) ?? [];
              if (!block.includes(record)) block.push(record);
              blocks.set(`${a},${b}`, block);
            }
          });
          const left = new KeyList('test: left keys');
          const expected: string[] = [];
          leftKeys.forEach((keys, record) => {
            const seen = new Set<string>();
            for (const [[a, b], limit] of keys) {
              left.add(a, b, record, limit);
              if (seen.has(`${a},${b}`)) continue;
              seen.add(`${a},${b}`);
              const block = blocks.get(`${a},${b}`) ?? [];
              if (block.length <= limit) for (const other of block) expected.push(`${record}-${other}`);
            }
          });
          const pairs = joinKeys(
            new PartitionedKeys(left, bits, 'test: left partitioned'),
            new PartitionedKeys(right, bits, 'test: right partitioned'),
            new PairList('test: pairs', 4),
          );
          const actual = Array.from({ length: pairs.length }, (_, at) => `${pairs.left[at]}-${pairs.right[at]}`);
          expect(actual.sort()).toEqual(expected.sort());
          const grouped = pairsByLeft(pairs, leftKeys.length, 'test: grouped');
          const regrouped = leftKeys.flatMap((_, record) =>
            Array.from(grouped.right.subarray(grouped.start[record], grouped.start[record + 1]), (other) => `${record}-${other}`),
          );
          expect(regrouped.sort()).toEqual(expected.sort());
        },
      ),
    );
  });

  it('keys whose hashes collide stay apart when joined', () => {
    // Find two keys with the same 31-bit hash (a birthday search over a few hundred thousand keys).
    const byHash = new Map<number, number>();
    let collision: [number, number] | null = null;
    for (let a = 1; !collision; a++) {
      const hash = pairHash(a, 7) >>> 1;
      const other = byHash.get(hash);
      if (other !== undefined) collision = [other, a];
      byHash.set(hash, a);
    }
    const [x, y] = collision;
    const right = new KeyList('test: keys');
    for (let record = 0; record < 6; record++) right.add(record % 2 ? x : y, 7, record);
    for (const [key, records] of [
      [x, [1, 3, 5]],
      [y, [0, 2, 4]],
    ] as const) {
      const left = new KeyList('test: left keys');
      left.add(key, 7, 0);
      const pairs = joinKeys(
        new PartitionedKeys(left, 3, 'test: left partitioned'),
        new PartitionedKeys(right, 3, 'test: right partitioned'),
        new PairList('test: pairs'),
      );
      expect(Array.from(pairs.right.subarray(0, pairs.length))).toEqual(records);
    }
  });

  it('orderByKey sorts indexes by key, ties by index: permutations, counted, packed or compared', () => {
    const permutation = fc
      .nat(60)
      .chain((length) => fc.shuffledSubarray([...Array(length).keys()], { minLength: length, maxLength: length }));
    const keyArrays = fc.oneof(
      permutation,
      fc.array(fc.nat(20), { maxLength: 200 }),
      fc.array(fc.nat(2 ** 40), { maxLength: 50 }),
      fc.array(fc.oneof(fc.nat(20), fc.double({ noNaN: true }), fc.constant(2 ** 52)), { maxLength: 200 }),
    );
    fc.assert(
      fc.property(keyArrays, (keys) => {
        const expected = keys
          .map((_, index) => index)
          .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
        expect(Array.from(orderByKey(Float64Array.from(keys), 'test: order'))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('descendingRanks ranks distinct values from the highest', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 100 }), (values) => {
        const distinct = [...new Set(values.map((value) => (Object.is(value, -0) ? 0 : value)))].sort((a, b) => b - a);
        const expected = values.map((value) => distinct.indexOf(Object.is(value, -0) ? 0 : value));
        expect(Array.from(descendingRanks(Float64Array.from(values), 'test: ranks'))).toEqual(expected);
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
    expect([table.letter(table.id('Zoë')), table.letter(table.id('Émile')), table.letter(0)]).toEqual([26, 5, 0]);
  });
});
