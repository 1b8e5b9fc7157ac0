import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

/**
 * The compiler comes from the `solc` npm package (pinned to this exact version in package.json):
 * the machines that build this project cannot download compilers, so Hardhat's own download is
 * replaced by the JavaScript build that npm installed.
 */
const SOLC_VERSION = "0.8.28";
/**
 * The Ethereum Attestation Service (a reference in the gas benchmark, bench/) pins `pragma solidity 0.8.29`: that
 * compiler is the npm alias `solc-0.8.29` and compiles only the files listed in `overrides` below.
 */
const EAS_SOLC_VERSION = "0.8.29";
const SOLC_PACKAGES: Record<string, string> = { [SOLC_VERSION]: "solc", [EAS_SOLC_VERSION]: "solc-0.8.29" };

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string }, _hre, runSuper) => {
  const pkg = SOLC_PACKAGES[args.solcVersion];
  if (pkg === undefined) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require(pkg);
  return {
    compilerPath: require.resolve(`${pkg}/soljson.js`),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

/**
 * `npm run coverage` instruments every contract (a counter call at each line and branch), which makes a pool's
 * deployment — it creates its tranche tokens — cost more than the 2^24 gas per transaction that Hardhat's default
 * hardfork, Osaka, allows (EIP-7825). The instrumented run uses Prague, without that cap; the contracts are compiled
 * for Cancun, so nothing they do differs.
 */
const UNDER_COVERAGE = process.argv.includes("coverage");

const COMPILER_SETTINGS = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", viaIR: false };
const EAS_COMPILER = { version: EAS_SOLC_VERSION, settings: COMPILER_SETTINGS };

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: COMPILER_SETTINGS }],
    overrides: {
      "contracts/bench/EASReference.sol": EAS_COMPILER,
      "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol": EAS_COMPILER,
      "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol": EAS_COMPILER,
      "@ethereum-attestation-service/eas-contracts/contracts/eip1271/EIP1271Verifier.sol": EAS_COMPILER,
    },
  },
  networks: {
    hardhat: {
      // Contracts stay under the 24 KiB limit of real chains; keep the local chain as strict.
      allowUnlimitedContractSize: false,
      // The licence-fee pool tests need ten licensees, five investors and more beside the usual parties.
      accounts: { count: 30 },
      ...(UNDER_COVERAGE ? { hardfork: "prague" } : {}),
    },
    localhost: { url: "http://127.0.0.1:8545" },
    // Any other EVM JSON-RPC endpoint (e.g. a consortium chain): `npm run deploy -- --network consortium`.
    consortium: {
      url: process.env.DEPLOY_RPC_URL ?? "http://127.0.0.1:8545",
      accounts: process.env.DEPLOYER_PRIVATE_KEY ? [process.env.DEPLOYER_PRIVATE_KEY] : "remote",
    },
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    outputFile: process.env.REPORT_GAS_FILE,
    noColors: !!process.env.REPORT_GAS_FILE,
    offline: true,
  },
  mocha: { timeout: 120_000 },
};

export default config;
