/** The registry's ABIs as compiled (with internalType, which ethers' fragments do not keep), by contract name. */
import {
  IPAssetRegister__factory,
  InvestorRegistry__factory,
  LicenceRegistry__factory,
  LossSharing__factory,
  PledgeLens__factory,
  PledgeRegistry__factory,
  ReceivablePool__factory,
  RegistryAccessManager__factory,
  TestStablecoin__factory,
  TrancheToken__factory,
  ValuationRegistry__factory,
} from "../../../typechain-types";

/** The ABIs whose custom errors a client can meet: every registry contract, a pool, a tranche, the payment token. */
export const REGISTRY_ABIS = {
  IPAssetRegister: IPAssetRegister__factory.abi,
  PledgeRegistry: PledgeRegistry__factory.abi,
  PledgeLens: PledgeLens__factory.abi,
  ValuationRegistry: ValuationRegistry__factory.abi,
  LossSharing: LossSharing__factory.abi,
  LicenceRegistry: LicenceRegistry__factory.abi,
  InvestorRegistry: InvestorRegistry__factory.abi,
  ReceivablePool: ReceivablePool__factory.abi,
  TrancheToken: TrancheToken__factory.abi,
  RegistryAccessManager: RegistryAccessManager__factory.abi,
  // OpenZeppelin's ERC-20 errors (ERC20InsufficientAllowance…), as a pool's payment token raises them.
  TestStablecoin: TestStablecoin__factory.abi,
} as const;

/** The deployment's contracts (keys of the deployment file) and the Solidity contract each one is. */
export const DEPLOYED_CONTRACTS = {
  accessManager: "RegistryAccessManager",
  assetRegister: "IPAssetRegister",
  valuationRegistry: "ValuationRegistry",
  lossSharing: "LossSharing",
  pledgeRegistry: "PledgeRegistry",
  pledgeLens: "PledgeLens",
  licenceRegistry: "LicenceRegistry",
  investorRegistry: "InvestorRegistry",
} as const satisfies Record<string, keyof typeof REGISTRY_ABIS>;
