/** Which queue a task waits in: small operations go before the work of large ones. */
export type Priority = 'small' | 'large';

/**
 * A task to run: its queue; for a large one the operation it belongs to (numbered as admitted)
 * and its share of a full slice's work (a quarter slice: 0.25; default 1).
 */
export interface TaskPlace {
  priority: Priority;
  operation?: number;
  share?: number;
}

export interface Scheduler {
  /**
   * Runs `work` once one of the slots is free: small tasks first (but see `maxSmallInARow`), then
   * large ones (see `sharingOperations`). `signal` withdraws the task while it waits (rejecting
   * with its reason); once started, a task runs to its end.
   */
  run<T>(place: TaskPlace, work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The operation has no more tasks to run: younger ones may take its turns. */
  ended(operation: number): void;
  /** Small tasks waiting or running. */
  smallTasks(): number;
  /** Tasks waiting for a slot. */
  waiting(): number;
  /** Tasks running. */
  running(): number;
}

interface Waiter {
  operation: number;
  share: number;
  start(): void;
}

/**
 * A queue in front of the worker pool. piscina is only ever handed as many tasks as it has
 * workers, so what waits is ours to order, and a task withdrawn while it waits never reaches a
 * worker (aborting a task piscina has started would cost the worker its life).
 *
 * Small tasks go first, except that a large task goes next once `maxSmallInARow` small ones (in
 * proportion to its share) went ahead of it: a steady stream of small pages cannot starve an
 * export (seen before this rule: an export alone took 5 s, behind 4 callers paging it had not
 * finished after 150 s), and a quarter slice goes after 2 small tasks, so an export made of
 * quarter slices keeps the pace of full ones. The rule counts tasks, not time: an earlier rule by
 * waiting time let a whole-page export (seconds of work, one task) jump ahead of every small
 * page that had waited less.
 *
 * Large tasks take turns among the `sharingOperations` oldest operations that have them, in the
 * order they came; a younger operation's task runs only when none of theirs waits. Concurrent
 * exports share the workers slice by slice, but a flood of them is served oldest first: taking
 * turns among all of them, 65 exports admitted at once all ran past their deadline and none
 * finished (bench:flood).
 */
export function createScheduler(slots: number, sharingOperations: number, maxSmallInARow = 8): Scheduler {
  let running = 0;
  let smallInARow = 0;
  let runningSmall = 0;
  const queues: Record<Priority, Waiter[]> = { small: [], large: [] };
  // The operations whose large tasks take turns, oldest first.
  const sharing: number[] = [];

  /** Where the large task to run next waits (-1: none waits). */
  function nextLargeIndex(): number {
    const { large } = queues;
    if (large.length === 0) return -1;
    const waitingOperations = [...new Set(large.map((waiter) => waiter.operation))].sort((a, b) => a - b);
    for (const operation of waitingOperations) {
      if (sharing.length >= sharingOperations) break;
      if (!sharing.includes(operation)) sharing.push(operation);
    }
    const turn = large.findIndex((waiter) => sharing.includes(waiter.operation));
    // None of theirs waits: the oldest other operation's task runs rather than leave the slot idle.
    return turn >= 0 ? turn : large.findIndex((waiter) => waiter.operation === waitingOperations[0]);
  }

  function next(): Waiter | undefined {
    const index = nextLargeIndex();
    const large = queues.large[index];
    if (!large) return queues.small.shift();
    if (queues.small.length === 0 || smallInARow >= Math.ceil(maxSmallInARow * large.share)) {
      smallInARow = 0;
      return queues.large.splice(index, 1)[0];
    }
    smallInARow++;
    return queues.small.shift();
  }

  function startNext() {
    while (running < slots) {
      const waiter = next();
      if (!waiter) return;
      running++;
      waiter.start();
    }
  }

  return {
    run({ priority, operation = 0, share = 1 }, work, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const queue = queues[priority];
        const withdraw = () => {
          queue.splice(queue.indexOf(waiter), 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          operation,
          share,
          start() {
            signal?.removeEventListener('abort', withdraw);
            if (priority === 'small') runningSmall++;
            work()
              .then(resolve, reject)
              .finally(() => {
                running--;
                if (priority === 'small') runningSmall--;
                startNext();
              });
          },
        };
        signal?.addEventListener('abort', withdraw, { once: true });
        queue.push(waiter);
        startNext();
      });
    },
    ended(operation) {
      const at = sharing.indexOf(operation);
      if (at >= 0) sharing.splice(at, 1);
    },
    smallTasks: () => queues.small.length + runningSmall,
    waiting: () => queues.small.length + queues.large.length,
    running: () => running,
  };
}
