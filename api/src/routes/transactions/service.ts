/**
 * Signing stays with the parties: for a step that must come from a party's own account, the gateway prepares the
 * unsigned transaction (nonce, estimated gas, fees), the party signs it with its own wallet, and the gateway
 * broadcasts the signed bytes — only to this chain's registry contracts, the pools it knows, their tranche tokens and
 * payment tokens, or a ReceivablePool creation — after simulating it, so that a refusal costs nothing.
 */
import {
  Interface,
  Transaction,
  getAddress,
  getCreateAddress,
  isError,
  type Log,
  type TransactionReceipt,
} from "ethers";
import {
  ERC20__factory,
  InvestorRegistry__factory,
  LicenceRegistry__factory,
  ReceivablePool__factory,
  TrancheToken__factory,
} from "../../../../typechain-types";
import { REGISTRY_ABIS } from "../../chain/abis";
import type { Registry } from "../../chain/registry";
import { inApiForm, plain } from "../../chain/events";
import { TransactionPending, chainUnavailable } from "../../chain/relayer";
import type { RecordStore } from "../../store/records";
import { AppError } from "../../errors/AppError";
import { chainErrorToAppError, contractErrorToAppError } from "../../errors/contractErrors";
import { periodNumber, reportOf } from "../pools/poolContract";
import { forgetPool, knownPools, rememberPool } from "../pools/service";
import { noteSent } from "../../chain/sentTransactions";
import { PreparedTransactions } from "./prepared";

/** The gas limit of a step that cannot be estimated before the step it depends on (an approval) is mined. */
export const UNESTIMATED_GAS_LIMIT = 1_000_000n;
/** Headroom over the estimate, for state that changes between preparing and mining (20 %). */
const withHeadroom = (estimate: bigint) => (estimate * 120n) / 100n;

export interface Call {
  action: string;
  description: string;
  to: string | null;
  data: string;
  /** Estimate gas now; false for a step that can only run once the step before it is mined. */
  estimate?: boolean;
}

/**
 * The number of transactions `from` has sent, counting those still waiting to be mined: the nonce its next
 * transaction must carry. Asked of the node itself every time — an ethers JSON-RPC provider answers a repeated
 * request from a cache for a quarter of a second, which hands a party that prepares its next step right after
 * broadcasting one the nonce it has just used.
 */
export async function pendingNonce(provider: Registry["provider"], from: string): Promise<number> {
  const rpc = provider as unknown as { send?: (method: string, params: unknown[]) => Promise<string> };
  if (typeof rpc.send === "function") {
    return Number(BigInt(await rpc.send("eth_getTransactionCount", [getAddress(from), "pending"])));
  }
  return provider.getTransactionCount(from, "pending");
}

/**
 * The unsigned transactions of `calls` for `from`, in order (consecutive nonces from its pending count), each
 * remembered so that the party may broadcast it without an API key (see prepared.ts).
 */
export async function prepare(
  { registry, records: store }: { registry: Registry; records: RecordStore },
  from: string,
  calls: Call[],
) {
  const provider = registry.provider;
  const [nonce, fees] = await Promise.all([pendingNonce(provider, from), provider.getFeeData()]);
  const feeFields =
    fees.maxFeePerGas !== null
      ? {
          type: 2,
          maxFeePerGas: fees.maxFeePerGas.toString(),
          maxPriorityFeePerGas: (fees.maxPriorityFeePerGas ?? 0n).toString(),
        }
      : { type: 0, gasPrice: (fees.gasPrice ?? 0n).toString() };
  const steps = [];
  for (const [i, call] of calls.entries()) {
    const estimated = call.estimate !== false;
    // A refusal here is the contract's custom error: the error handler answers 422 with its code.
    const gas = estimated
      ? withHeadroom(await provider.estimateGas({ from, to: call.to, data: call.data }))
      : UNESTIMATED_GAS_LIMIT;
    steps.push({
      action: call.action,
      description: call.description,
      gasEstimated: estimated,
      transaction: {
        ...feeFields,
        from: getAddress(from),
        to: call.to,
        data: call.data,
        value: "0",
        chainId: registry.deployment.chainId,
        nonce: nonce + i,
        gasLimit: gas.toString(),
      },
    });
  }
  const prepared = new PreparedTransactions(store);
  for (const { transaction } of steps) await prepared.remember(transaction);
  return { steps };
}

/** Approve `spender` for `amount` of `token` first, unless `from` already allows it. */
export async function withApproval(
  registry: Registry,
  token: string,
  from: string,
  spender: string,
  amount: bigint,
  action: Call,
): Promise<Call[]> {
  const erc20 = ERC20__factory.connect(token, registry.provider);
  if ((await erc20.allowance(from, spender)) >= amount) return [action];
  return [
    {
      action: "approve",
      description: `allow the pool to take ${amount} of the payment token from ${from}`,
      to: token,
      data: erc20.interface.encodeFunctionData("approve", [spender, amount]),
    },
    { ...action, estimate: false },
  ];
}

/** Where a receipt's log may come from: the pool's side first, then every other contract of the register. */
const EVENT_SOURCES: [string, Interface][] = [
  ["ReceivablePool", ReceivablePool__factory.createInterface()],
  ["TrancheToken", TrancheToken__factory.createInterface()],
  ["LicenceRegistry", LicenceRegistry__factory.createInterface()],
  ["InvestorRegistry", InvestorRegistry__factory.createInterface()],
  ["ERC20", ERC20__factory.createInterface()],
  ...Object.entries(REGISTRY_ABIS).map(([name, abi]): [string, Interface] => [name, new Interface(abi)]),
];

/** Errors of the payment token (OpenZeppelin ERC-20), which the registry's decoder does not know. */
const TOKEN_ERRORS = new Interface([
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
]);

/**
 * A receipt's log as the API shows events (README "Conventions"): enum values by name, dates YYYY-MM-DD, instants
 * ISO 8601 — the formatter of every history — and a pool's periods from 1 with its period report as the pool routes
 * show it.
 */
function decodeLog(log: Log) {
  for (const [contract, iface] of EVENT_SOURCES) {
    let parsed;
    try {
      parsed = iface.parseLog(log);
    } catch {
      parsed = null;
    }
    if (!parsed) continue;
    const raw = Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, plain(parsed.args[i])]));
    const event = inApiForm({
      event: parsed.name,
      contract,
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
      logIndex: log.index,
      args: raw,
    });
    if (contract === "ReceivablePool") {
      if ("period" in raw) event.args.period = periodNumber(String(raw.period));
      if ("report" in raw) event.args.report = reportOf(raw.report);
    }
    const { event: name, contract: source, ...where } = event;
    return { event: name, contract: source, address: log.address, ...where };
  }
  return undefined;
}

/** The registry's contracts, the pools the gateway knows, their tranche tokens and payment tokens. */
async function allowedTargets(registry: Registry, store: RecordStore): Promise<Set<string>> {
  const targets = new Set(Object.values(registry.deployment.contracts).map((a) => getAddress(a)));
  for (const address of await knownPools(registry, store)) {
    const pool = ReceivablePool__factory.connect(address, registry.provider);
    // A receivable may be assigned to a pool's address before the pool is deployed there: nothing to allow yet.
    if ((await registry.provider.getCode(address)) === "0x") continue;
    targets.add(address);
    targets.add(getAddress(await pool.paymentToken()));
    const count = Number(await pool.trancheCount());
    for (let i = 0; i < count; i++) targets.add(getAddress((await pool.trancheOf(i)).token));
  }
  return targets;
}

/** A simulation's refusal as the client sees it: the custom error's code, or TRANSACTION_REVERTED. */
function refusal(error: unknown): AppError {
  const known = chainErrorToAppError(error);
  if (known) return known;
  const data = (error as { data?: string })?.data;
  if (typeof data === "string") {
    try {
      const decoded = TOKEN_ERRORS.parseError(data);
      if (decoded) {
        return contractErrorToAppError(decoded);
      }
    } catch {
      // not a token error either
    }
  }
  return new AppError("TRANSACTION_REVERTED", 422, "the transaction would revert", undefined, {
    reason: String((error as Error)?.message ?? error).slice(0, 200),
  });
}

/**
 * Broadcasts a party-signed transaction after checking its chain, its target and, by simulation, that it would not
 * revert. `keyless`: the caller showed no API key, so the transaction must also be one the gateway prepared for its
 * signer (same chain, sender, target, calldata and value) and not broadcast yet — otherwise 403
 * TRANSACTION_NOT_PREPARED and nothing is sent.
 */
export async function broadcast(registry: Registry, store: RecordStore, raw: string, keyless = false) {
  let tx: Transaction;
  try {
    tx = Transaction.from(raw);
  } catch {
    throw AppError.of("VALIDATION_FAILED", "signedTransaction: not a signed transaction", "signedTransaction");
  }
  if (!tx.isSigned() || !tx.from) {
    throw new AppError("TRANSACTION_NOT_SIGNED", 400, "the transaction carries no signature", "signedTransaction");
  }
  if (tx.chainId !== BigInt(registry.deployment.chainId)) {
    throw new AppError(
      "CHAIN_ID_MISMATCH",
      400,
      `the transaction is for chain ${tx.chainId}; this register runs on chain ${registry.deployment.chainId}`,
      "signedTransaction",
    );
  }
  const creation = tx.to === null;
  const prepared = new PreparedTransactions(store);
  const asPrepared = { chainId: tx.chainId, from: tx.from, to: tx.to, data: tx.data, value: tx.value };
  // Checked first, before any call to the chain: a keyless caller costs the gateway no more than a lookup.
  if (keyless && (creation || !(await prepared.take(asPrepared)))) {
    throw AppError.of(
      "TRANSACTION_NOT_PREPARED",
      `without an API key the gateway broadcasts only a transaction it prepared for its signer ${tx.from} and has ` +
        "not broadcast yet: prepare it first (or again)",
      "signedTransaction",
    );
  }
  // What a keyless broadcast took is given back when the transaction is refused before anything was sent.
  const refused = async (error: AppError) => {
    if (keyless) await prepared.giveBack(asPrepared);
    return error;
  };
  if (creation) {
    if (!tx.data.startsWith(ReceivablePool__factory.bytecode)) {
      throw new AppError(
        "TRANSACTION_TARGET_NOT_ALLOWED",
        400,
        "the only contract the gateway creates is a ReceivablePool",
        "signedTransaction",
      );
    }
  } else if (!(await allowedTargets(registry, store)).has(getAddress(tx.to!))) {
    throw await refused(
      new AppError(
        "TRANSACTION_TARGET_NOT_ALLOWED",
        400,
        `${tx.to} is not a contract of this register, nor a pool it knows, its tranche tokens or payment token`,
        "signedTransaction",
      ),
    );
  }
  const provider = registry.provider;
  const call = { from: tx.from, to: tx.to, data: tx.data, value: tx.value };
  try {
    await provider.call(call);
  } catch (error) {
    throw await refused(refusal(error));
  }
  const hash = tx.hash!;
  // A pool's creation is remembered before it is sent (its address follows from the sender and nonce): a gateway
  // stopped after the chain took it, even by kill -9, still knows the pool. Until it is mined it is listed with
  // status null (nothing deployed there yet); a creation the chain refuses is forgotten again.
  const poolAddress = creation ? getCreateAddress({ from: tx.from, nonce: tx.nonce }) : undefined;
  if (poolAddress) await rememberPool(store, poolAddress, "creation", hash);
  await noteSent(hash);
  try {
    await provider.broadcastTransaction(raw);
  } catch (error) {
    if (poolAddress && !chainUnavailable(error)) await forgetPool(store, poolAddress, hash);
    const message = String((error as Error)?.message ?? error);
    if (isError(error, "NONCE_EXPIRED") || /nonce/i.test(message)) {
      throw await refused(
        new AppError("TRANSACTION_NONCE_INVALID", 409, "the nonce was used already or skips ahead: prepare again"),
      );
    }
    // No answer: the chain may have taken it (anyone holding the signed bytes may send them too). Its hash tells the
    // outcome later (GET /v1/transactions/{hash}), as for the relayer's own writes.
    if (chainUnavailable(error)) {
      registry.relayer.remember(hash);
      if (!keyless) await prepared.take(asPrepared);
      throw new TransactionPending(hash);
    }
    throw chainErrorToAppError(error) ?? refusal(error);
  }
  registry.relayer.remember(hash);
  // Sent: whatever the gateway prepared like it cannot be broadcast again without a key.
  if (!keyless) await prepared.take(asPrepared);
  // The relayer's wait: TransactionPending (202 with the hash) when no receipt comes within RECEIPT_TIMEOUT_MS.
  const receipt = await registry.relayer.confirmation(hash);
  if (receipt.status !== 1) {
    if (poolAddress) await forgetPool(store, poolAddress, hash);
    // A mined revert (the state changed since the simulation): say why by simulating it again before its block, and
    // where it was mined (its nonce is spent).
    const mined = { transactionHash: receipt.hash, blockNumber: receipt.blockNumber };
    let why = new AppError("TRANSACTION_REVERTED", 422, "the transaction reverted when mined");
    try {
      await provider.call({ ...call, blockTag: receipt.blockNumber - 1 });
    } catch (simulated) {
      const known = refusal(simulated);
      if (known.code !== "CHAIN_UNAVAILABLE") why = known;
    }
    throw new AppError(why.code, why.status, why.message, why.field, { ...why.details, ...mined });
  }
  return broadcastAnswer(receipt);
}

/**
 * A broadcast's answer: its receipt's events in API form (also a recovered retry's, whose first attempt died after
 * the transaction was mined: openapi/registry.ts `Answer`).
 */
export async function broadcastAnswer(receipt: TransactionReceipt) {
  return {
    transactionHash: receipt.hash,
    blockNumber: receipt.blockNumber,
    status: "success" as const,
    from: receipt.from,
    to: receipt.to,
    ...(receipt.contractAddress ? { contractAddress: receipt.contractAddress } : {}),
    events: receipt.logs.map(decodeLog).filter((e): e is NonNullable<ReturnType<typeof decodeLog>> => !!e),
  };
}
