/** Anything that runs a function when it ends: a TestContext, or `{ after }` from node:test for a file. */
export interface Cleanup {
  after(fn: () => unknown): void;
}
