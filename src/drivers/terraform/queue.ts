// In-process serialization: calls on one stack run one after another, in call order.

export interface Queue {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createQueue(): Queue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      // The next task waits for this one, whatever its outcome.
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
