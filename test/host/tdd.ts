// mocha's TDD interface as the tests use it. Typed here, so the repo's typecheck needs no
// @types/mocha; mocha fills these in when index.ts emits 'pre-require' before loading a suite.
/** What mocha binds `this` to in a test: `skip()` reports the test as skipped (pending), not passed. */
export interface TestContext {
  skip(): never;
  /** This test's time limit in ms (the suite's default is 30 s). */
  timeout(ms: number): void;
}
type Body = (this: TestContext) => void | Promise<void>;

interface Tdd {
  suite(title: string, body: () => void): void;
  test(title: string, body: Body): void;
  setup(body: Body): void;
  teardown(body: Body): void;
  suiteSetup(body: Body): void;
  suiteTeardown(body: Body): void;
}

export const { suite, test, setup, teardown, suiteSetup, suiteTeardown }: Tdd = require('mocha');
