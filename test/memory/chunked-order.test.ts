import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedOrder, type OrderEntry, type SortKey } from '../../adapters/memory/chunked-order.js';
import type { User } from '../../src/types.js';
import { compareSortKeys } from '../../src/user-order.js';

/** An entry for a user known only by id, sorted by `name` and searched in `name`. */
function entry(name: string, id: string): OrderEntry {
  return { user: { id } as User, key: [name, id], search: name };
}

/** What a scan must visit: the model, filtered and cut, in the asked direction. */
function expected(model: OrderEntry[], after: SortKey | null, ascending: boolean, search: string, limit: number) {
  const past = model.filter((candidate) => {
    if (after === null) return true;
    const order = compareSortKeys(candidate.key, after);
    return ascending ? order > 0 : order < 0;
  });
  const found = past.filter((candidate) => candidate.search.includes(search));
  return (ascending ? found : found.reverse()).slice(0, limit).map((candidate) => candidate.user.id);
}

function visited(order: ChunkedOrder, after: SortKey | null, ascending: boolean, search: string, limit: number) {
  const ids: string[] = [];
  order.scan(after, ascending, search, (candidate) => {
    ids.push(candidate.user.id);
    return ids.length < limit;
  });
  return ids;
}

const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é'), maxLength: 5 });
const operation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), name }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('remove-missing' as const), name }),
);
const scan = fc.record({
  after: fc.option(
    fc.oneof(
      fc.nat().map((pick) => ({ pick })),
      name.map((probe) => ({ probe })),
    ),
  ),
  ascending: fc.boolean(),
  search: fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é'), maxLength: 4 }),
  limit: fc.integer({ min: 1, max: 40 }),
});

describe('ChunkedOrder', () => {
  it('scans like a sorted array, through inserts, removals and chunk splits, in both directions', () => {
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 30 }),
        fc.array(operation, { maxLength: 60 }),
        fc.array(scan, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (initial, operations, scans, chunkSize) => {
          let next = 0;
          const model = initial.map((text) => entry(text, `u${String(next++).padStart(3, '0')}`));
          model.sort((a, b) => compareSortKeys(a.key, b.key));
          const order = new ChunkedOrder(model, chunkSize);
          for (const step of operations) {
            if (step.kind === 'insert') {
              const added = entry(step.name, `u${String(next++).padStart(3, '0')}`);
              order.insert(added);
              model.push(added);
              model.sort((a, b) => compareSortKeys(a.key, b.key));
            } else if (step.kind === 'remove' && model.length > 0) {
              const [removed] = model.splice(step.pick % model.length, 1) as [OrderEntry];
              order.remove(removed.key, removed.user.id);
            } else if (step.kind === 'remove-missing') {
              order.remove([step.name, 'nobody'], 'nobody');
            }
            // A search between writes joins chunk texts, so later writes must leave them stale.
            expect(visited(order, null, true, 'a', 1000)).toEqual(expected(model, null, true, 'a', 1000));
          }
          for (const { after, ascending, search, limit } of scans) {
            let key: SortKey | null = null;
            if (after && 'pick' in after)
              key = model.length ? (model[after.pick % model.length] as OrderEntry).key : null;
            if (after && 'probe' in after) key = [after.probe, 'u050'];
            expect(visited(order, key, ascending, search, limit)).toEqual(
              expected(model, key, ascending, search, limit),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds a match at either end of a chunk and none across the entries it joins', () => {
    const order = new ChunkedOrder([entry('ab', 'u1'), entry('cd', 'u2'), entry('ef', 'u3')], 3);
    expect(visited(order, null, true, 'ab', 10)).toEqual(['u1']);
    expect(visited(order, null, false, 'ef', 10)).toEqual(['u3']);
    expect(visited(order, null, true, 'bc', 10)).toEqual([]);
    expect(visited(order, null, false, 'bc', 10)).toEqual([]);
    expect(visited(order, ['cd', 'u2'], false, 'ab', 10)).toEqual(['u1']);
  });

  it('scans an empty order, and one emptied by removals', () => {
    const order = new ChunkedOrder([], 2);
    expect(visited(order, null, true, '', 10)).toEqual([]);
    order.insert(entry('a', 'u1'));
    order.remove(['a', 'u1'], 'u1');
    expect(visited(order, null, false, '', 10)).toEqual([]);
    expect(visited(order, ['a', 'u0'], false, 'a', 10)).toEqual([]);
  });
});
