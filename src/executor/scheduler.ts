/** Which queue a task waits in: small operations go before the work of large ones. */
export type Priority = 'small' | 'large';

export interface Scheduler {
  /**
   * Runs `work` once one of the slots is free: small tasks first (but see `maxSmallInARow`), then
   * large ones, each in the order they came. `signal` withdraws the task while it waits (rejecting with its reason);
   * once started, a task runs to its end.
   */
  run<T>(priority: Priority, work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks waiting for a slot. */
  waiting(): number;
  /** Tasks running. */
  running(): number;
}

interface Waiter {
  start(): void;
}

/**
 * A queue in front of the worker pool. piscina is only ever handed as many tasks as it has
 * workers, so what waits is ours to order, and a task withdrawn while it waits never reaches a
 * worker (aborting a task piscina has started would cost the worker its life). Small tasks go
 * first, except that a large task goes next once `maxSmallInARow` small ones went ahead of it:
 * a steady stream of small pages cannot starve an export (seen before this rule: an export alone
 * took 5 s, behind 4 callers paging it had not finished after 150 s). The rule counts tasks, not
 * time: an earlier rule by waiting time let a whole-page export (seconds of work, one task) jump
 * ahead of every small page that had waited less, which is the wait slicing exists to remove.
 */
export function createScheduler(slots: number, maxSmallInARow = 8): Scheduler {
  let running = 0;
  let smallInARow = 0;
  const queues: Record<Priority, Waiter[]> = { small: [], large: [] };

  function next(): Waiter | undefined {
    const largeWaits = queues.large.length > 0;
    if (!largeWaits || smallInARow >= maxSmallInARow || queues.small.length === 0) {
      smallInARow = 0;
      return queues.large.shift() ?? queues.small.shift();
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
    run(priority, work, signal) {
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
          start() {
            signal?.removeEventListener('abort', withdraw);
            work()
              .then(resolve, reject)
              .finally(() => {
                running--;
                startNext();
              });
          },
        };
        signal?.addEventListener('abort', withdraw, { once: true });
        queue.push(waiter);
        startNext();
      });
    },
    waiting: () => queues.small.length + queues.large.length,
    running: () => running,
  };
}
