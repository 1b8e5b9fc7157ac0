/**
 * Whether the tests run under `npm run coverage`. solidity-coverage instruments every contract (a counter call at
 * each line and branch) and runs the whole suite in-process after setting `__SOLIDITY_COVERAGE_RUNNING` on the
 * Hardhat runtime environment (node_modules/solidity-coverage/plugins/hardhat.plugin.js), and it lifts the contract
 * size limit and the block gas limit. Under instrumentation gas figures and bytecode sizes are not the contracts'
 * own, so only the tests that measure those skip there, each saying why; in every normal run they run.
 */
import hre from "hardhat";

export const instrumentedForCoverage = (): boolean =>
  (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;

/**
 * Call first in a mocha `before`/`it` (with `function`, not an arrow, so that `this` is mocha's context): skips the
 * suite or test under coverage instrumentation, with the reason in the report.
 */
export function skipUnderCoverage(context: Mocha.Context, why: string): void {
  if (!instrumentedForCoverage()) return;
  console.log(`    (not run under coverage instrumentation: ${why})`);
  context.skip();
}
