/**
 * The gateway with its relayer the way `npm start` builds it — a wallet holding its key, on a JSON-RPC URL with the
 * gateway's timeouts — for tests that put something between the gateway and the in-process chain (a proxy that
 * stalls) or take transactions away from it.
 */
import { AbiCoder, HDNodeWallet, Mnemonic, Wallet, keccak256 } from "ethers";
import { ChainProvider } from "../../../api/src/chain/provider";
import { connectRegistry } from "../../../api/src/chain/registry";
import { Relayer, type RelayerTimeouts } from "../../../api/src/chain/relayer";
import { openCustomGateway } from "./customGateway";
import { StallingProxy } from "./stallingProxy";

/** The private key of Hardhat's development account `account`. */
export const developmentKey = (account: number) =>
  HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
    `m/44'/60'/0'/0/${account}`,
  ).privateKey;

/** Hardhat's development account 0 (the deployment's relayer), as a wallet holding its key. */
export const RELAYER_KEY = developmentKey(0);

/** The id of a granted invention patent (kind 0) as the register derives it from its official number. */
export const patentIdOf = (officialNumber: string) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint8", "string"], [0, officialNumber]));

/**
 * The gateway of `openCustomGateway()` with its relayer a wallet on a JSON-RPC URL: a `proxy` in front of the
 * in-process chain, which can stall on command. `recorded` reads the chain itself whether a patent is in the
 * register; `close()` after the test.
 */
export async function openWalletGateway(timeouts: RelayerTimeouts) {
  const proxy = await StallingProxy.start();
  let provider!: ChainProvider;
  const f = await openCustomGateway({
    registry: (deployment) => {
      provider = new ChainProvider(proxy.url, deployment.chainId, timeouts.rpcTimeoutMs);
      return connectRegistry(deployment, new Relayer(new Wallet(RELAYER_KEY, provider), timeouts));
    },
  });
  const recorded = async (officialNumber: string) =>
    (await f.contracts.assetRegister.officialNumberOf(patentIdOf(officialNumber))) === officialNumber;
  const close = async () => {
    provider.destroy();
    await proxy.resume({ deliverHeld: false });
    await proxy.close();
  };
  return { ...f, proxy, recorded, close };
}
