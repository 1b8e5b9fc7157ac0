/**
 * `npm run deploy -- --network <name>`: deploy the registry to a network of hardhat.config.ts and write
 * deployments/<name>.json for the gateway (and for anyone checking the chain directly).
 * The first account is the admin and the relayer; REGISTRAR_ADDRESS (or the second account) is the office.
 */
import hre from "hardhat";
import { writeDeployment } from "../definitions/deployment";
import { deployForGateway } from "./lib/bootstrap";

async function main() {
  const [admin, second] = await hre.ethers.getSigners();
  // eslint-disable-next-line no-process-env -- a deployment script's own parameter, not the gateway's configuration
  const registrar = process.env.REGISTRAR_ADDRESS ?? (second ?? admin).address;
  const { deployment } = await deployForGateway(admin, registrar, admin.address);
  const path = `deployments/${hre.network.name}.json`;
  writeDeployment(path, deployment);
  console.log(`deployed to ${hre.network.name} (chain ${deployment.chainId}); wrote ${path}`);
  console.log(JSON.stringify(deployment.contracts, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
