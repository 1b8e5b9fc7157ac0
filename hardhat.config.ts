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

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      viaIR: false,
    },
  },
  networks: {
    hardhat: {
      // Contracts stay under the 24 KiB limit of real chains; keep the local chain as strict.
      allowUnlimitedContractSize: false,
      // The licence-fee pool tests need ten licensees, five investors and more beside the usual parties.
      accounts: { count: 30 },
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
