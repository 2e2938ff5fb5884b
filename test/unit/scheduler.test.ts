import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { createScheduler, type TaskPlace } from '../../src/executor/scheduler.js';

/**
 * Operations 1-4 each run `tasks` tasks one after the other (as an export runs its slices) on one
 * slot: the order in which the tasks started, by operation.
 */
async function startOrder(sharingOperations: number, places: (operation: number) => TaskPlace, tasks = 5) {
  const scheduler = createScheduler(1, sharingOperations);
  const started: number[] = [];
  const operation = async (number: number) => {
    for (let task = 0; task < tasks; task++) {
      await scheduler.run(places(number), async () => {
        started.push(number);
        await setImmediate();
      });
    }
    scheduler.ended(number);
  };
  await Promise.all([1, 2, 3, 4].map(operation));
  return started;
}

const large = (operation: number): TaskPlace => ({ priority: 'large', operation });

test('large tasks take turns among the oldest operations; younger ones wait while theirs are queued', async () => {
  const started = await startOrder(2, large);
  assert.deepEqual(started.slice(0, 8), [1, 2, 1, 2, 1, 2, 1, 2], `${started}`);
  // Each younger one takes the place of an older one that ended.
  assert.ok(started.indexOf(3) > started.lastIndexOf(1), `${started}`);
  assert.ok(started.indexOf(4) > started.lastIndexOf(2), `${started}`);
});

test('with room for all of them, every operation takes turns', async () => {
  const started = await startOrder(4, large);
  assert.deepEqual(started.slice(0, 8), [1, 2, 3, 4, 1, 2, 3, 4]);
});

test('small tasks go first, but a waiting large task goes after 8 small ones in a row', async () => {
  // Operation 1 is an export; 2-4 page with small tasks, 6 each.
  const started = await startOrder(2, (operation) => (operation === 1 ? large(1) : { priority: 'small' }), 6);
  const firstLarge = started.indexOf(1);
  assert.equal(firstLarge, 0, 'the export came first, to an empty queue');
  const secondLarge = started.indexOf(1, firstLarge + 1);
  assert.equal(secondLarge, 9, `${started}`);
});

test('small tasks waiting or running are counted, so slices can be made shorter meanwhile', async () => {
  const scheduler = createScheduler(1, 2);
  const seen: number[] = [];
  const exporting = scheduler.run(large(1), async () => {
    await setImmediate();
    seen.push(scheduler.smallTasks());
  });
  const paging = scheduler.run({ priority: 'small' }, async () => {
    seen.push(scheduler.smallTasks());
  });
  seen.push(scheduler.smallTasks());
  await Promise.all([exporting, paging]);
  seen.push(scheduler.smallTasks());
  assert.deepEqual(seen, [1, 1, 1, 0], 'waiting, waiting behind the export, running, done');
});

test('a quarter slice gets its turn after a quarter as many small tasks, so the export keeps its pace', async () => {
  const started = await startOrder(
    2,
    (operation) => (operation === 1 ? { ...large(1), share: 0.25 } : { priority: 'small' }),
    6,
  );
  assert.equal(started.indexOf(1, 1), 3, `${started}`);
});
