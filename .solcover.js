// `npm run coverage` (solidity-coverage): line and branch coverage of the contracts the registry ships.
const { execFileSync } = require("node:child_process");

/** Instrumented contracts run several times slower than the real ones (a counter call at every line and branch). */
const INSTRUMENTED_TIMEOUT_MS = 1_200_000;

module.exports = {
  // Test doubles and harnesses (contracts/test) and the benchmark's reference contracts (contracts/bench) are not the
  // registry: what they run of the registry's contracts is still counted there.
  skipFiles: ["test/", "bench/"],
  // The random-lives property tests take minutes under instrumentation; the normal 120 s stays for `npm test`.
  onServerReady: (config) => {
    config.mocha.timeout = INSTRUMENTED_TIMEOUT_MS;
  },
  // The coverage compile writes the instrumented build into artifacts/ and typechain-types/ (whose factories carry the
  // bytecode): compile the real contracts again and rebuild every typing, so that whatever runs next (`npm run
  // gateway`, a test with --no-compile) deploys the real contracts.
  onIstanbulComplete: () => {
    execFileSync(process.execPath, [require.resolve("hardhat/internal/cli/cli"), "typechain"], { stdio: "inherit" });
  },
};
