import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPlan } from '../../src/executor/protocol.js';
import { createSliceOrder, type NextSlice } from '../../src/executor/slice-order.js';

const place = (rootKey: string) => ({ rootKey, edgesKey: 'edges', afterEdges: false });

/** Runs the order to its end, each slice answering `rowsOf(slice)` rows: the slices asked for, in order. */
function run(plan: StreamPlan, rowsOf: (slice: NextSlice) => number, short = false) {
  const order = createSliceOrder(plan);
  const asked: NextSlice[] = [];
  for (let slice = order.next(short); slice; slice = order.next(short)) {
    asked.push(slice);
    const rows = rowsOf(slice);
    const short = 'limit' in slice.range && rows < slice.range.limit;
    order.done({ ended: slice.endsStream || short, rows, lastKey: rows > 0 ? { id: asked.length * 100 } : undefined });
    assert.ok(asked.length < 100, 'the order never ends');
  }
  return asked;
}

const plan: StreamPlan = {
  streams: [
    { ...place('a'), ranges: [], open: { after: { id: 7 }, rows: 25, size: 10 } },
    {
      ...place('b'),
      ranges: [
        { from: { id: 1 }, through: { id: 5 } },
        { from: { id: 6 }, through: { id: 9 } },
      ],
    },
  ],
  texts: ['},"b":{"edges":[', ']}}}'],
  coding: { encoding: 'identity' },
  objects: 0,
};

test('open slices follow each other from the last row read, up to the rows asked for, then the ranges cut ahead', () => {
  const asked = run(plan, (slice) => ('limit' in slice.range ? slice.range.limit : 4));
  assert.deepEqual(
    asked.map((slice) => [slice.stream.rootKey, slice.range, slice.endsStream, slice.followedBy, slice.lastStream]),
    [
      ['a', { after: { id: 7 }, limit: 10 }, false, '},"b":{"edges":[', false],
      ['a', { after: { id: 100 }, limit: 10 }, false, '},"b":{"edges":[', false],
      ['a', { after: { id: 200 }, limit: 5 }, true, '},"b":{"edges":[', false],
      ['b', { from: { id: 1 }, through: { id: 5 } }, false, ']}}}', true],
      ['b', { from: { id: 6 }, through: { id: 9 } }, true, ']}}}', true],
    ],
  );
});

test('a short open slice ends its stream: the next slice is the next stream', () => {
  const asked = run(plan, (slice) => (slice.stream.rootKey === 'a' ? 3 : 4));
  assert.deepEqual(
    asked.map((slice) => slice.stream.rootKey),
    ['a', 'b', 'b'],
  );
});

test('short open slices are a quarter of the size (rounded up), still up to the rows asked for', () => {
  const asked = run(plan, (slice) => ('limit' in slice.range ? slice.range.limit : 4), true);
  const open = asked.filter((slice) => slice.stream.rootKey === 'a');
  assert.deepEqual(
    open.map((slice) => ('limit' in slice.range ? slice.range.limit : 0)),
    [3, 3, 3, 3, 3, 3, 3, 3, 1],
  );
  assert.deepEqual(
    open.map((slice) => slice.endsStream),
    [false, false, false, false, false, false, false, false, true],
  );
});
