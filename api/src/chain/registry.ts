/** The registry contracts as the gateway uses them: read through the provider, written through the relayer. */
import type { Provider } from "ethers";
import {
  IPAssetRegister__factory,
  InvestorRegistry__factory,
  LicenceRegistry__factory,
  LossSharing__factory,
  PledgeLens__factory,
  PledgeRegistry__factory,
  RegistryAccessManager__factory,
  ValuationRegistry__factory,
} from "../../../typechain-types";
import type { Deployment } from "../../../definitions/deployment";
import type { Relayer } from "./relayer";

export function connectRegistry(deployment: Deployment, relayer: Relayer) {
  const runner = relayer.signer;
  const c = deployment.contracts;
  return {
    deployment,
    relayer,
    provider: relayer.provider as Provider,
    accessManager: RegistryAccessManager__factory.connect(c.accessManager, runner),
    assetRegister: IPAssetRegister__factory.connect(c.assetRegister, runner),
    valuationRegistry: ValuationRegistry__factory.connect(c.valuationRegistry, runner),
    lossSharing: LossSharing__factory.connect(c.lossSharing, runner),
    pledgeRegistry: PledgeRegistry__factory.connect(c.pledgeRegistry, runner),
    pledgeLens: PledgeLens__factory.connect(c.pledgeLens, runner),
    licenceRegistry: LicenceRegistry__factory.connect(c.licenceRegistry, runner),
    investorRegistry: InvestorRegistry__factory.connect(c.investorRegistry, runner),
  };
}

export type Registry = ReturnType<typeof connectRegistry>;
