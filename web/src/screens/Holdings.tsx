/**
 * A holder's part of a pool (an investor, or the originator keeping the subordinated tranche): its tranche tokens,
 * what accrued to them, what it claimed (with proofs) and what it may claim now; and the claim itself, signed in this
 * page. The gateway prepares the unsigned transaction for the holder's own account; the page shows in words what it
 * will sign (read from the very transaction: the pool, the function, the tranche, the account, the chain), signs it
 * with the key held here (or the injected wallet) and posts the signed transaction. The key never leaves the page.
 */
import { useEffect, useState } from "preact/hooks";
import { Interface, getAddress } from "ethers";
import { broadcastSigned, prepareClaim, readHoldings, type Holdings, type PreparedStep } from "../poolApi";
import { money, t } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { pageSigner } from "../signing/signer";
import { SignerChooser } from "../signing/Consent";
import { useDemo } from "../signing/demo";
import { Columns } from "./Columns";
import { ErrorBox, Hash, ProofLine, useTask } from "./common";

const CLAIM = new Interface(["function claim(uint256 tranche)"]);

/** The claim a prepared transaction makes, read from its calldata: null when it is not a claim of this pool. */
function claimOf(step: PreparedStep, pool: string): number | null {
  if (!step.transaction.to || getAddress(step.transaction.to) !== getAddress(pool)) return null;
  try {
    return Number(CLAIM.decodeFunctionData("claim", step.transaction.data)[0]);
  } catch {
    return null;
  }
}

export function Holdings({ pool, onClaimed }: { pool: string; onClaimed?: () => void }) {
  const session = useSignal(current)!;
  const holder = session.org.address;
  const [holdings, setHoldings] = useState<Holdings | null>(null);
  const [reload, setReload] = useState(0);
  const [claiming, setClaiming] = useState<{ tranche: number; steps: PreparedStep[] } | null>(null);
  const [receipt, setReceipt] = useState<{ amount: string; transactionHash: string; blockNumber: number | null }>();
  const load = useTask();
  const prepare = useTask();
  useEffect(() => {
    void load.run(async () => setHoldings(await readHoldings(session.key, pool, holder)));
  }, [pool, holder, reload]);

  if (!holdings) {
    return (
      <div class="card" data-testid="holdings">
        <h2>{t("plMine")}</h2>
        {load.error !== null ? <ErrorBox error={load.error} /> : <p class="progress">{t("loading")}</p>}
      </div>
    );
  }
  const held = holdings.tranches.filter((h) => BigInt(h.balance) > 0n || BigInt(h.accumulated) > 0n);
  const symbolOf = (i: number) => holdings.tranches[i]?.symbol ?? `#${i}`;
  return (
    <div class="card" data-testid="holdings">
      <h2>{t("plMine")}</h2>
      <p class="muted">
        {t("plHolder")} <Hash value={holdings.holder} />
      </p>
      {held.length === 0 ? (
        <p>{t("plNoHoldings")}</p>
      ) : (
        <div class="table-wrap">
          <table class="wide" data-testid="holdings-table">
            <Columns
              labels={[
                t("plTranche"),
                t("plBalance"),
                t("plMyOutstanding"),
                t("plAccrued"),
                t("plClaimed"),
                t("plClaimable"),
              ]}
            />
            <tbody>
              {held.map((h) => (
                <tr key={h.index}>
                  <th scope="row">
                    {h.symbol}
                    <div class="muted">{h.name}</div>
                  </th>
                  <td class="num">{money(h.balance)}</td>
                  <td class="num">{money(h.outstanding)}</td>
                  <td class="num">{money(h.accumulated)}</td>
                  <td class="num">{money(h.claimed)}</td>
                  <td class="num">
                    <strong>{money(h.claimable)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* The claim buttons under the table, not in it: on a phone the table scrolls sideways, the buttons stay in view. */}
      <div class="actions">
        {held
          .filter((h) => BigInt(h.claimable) > 0n)
          .map((h) => (
            <button
              key={h.index}
              type="button"
              class="primary"
              disabled={prepare.busy || claiming !== null}
              onClick={() =>
                prepare.run(async () => {
                  setReceipt(undefined);
                  setClaiming({ tranche: h.index, steps: await prepareClaim(session.key, pool, holder, h.index) });
                })
              }
            >
              {t("plClaim")} {h.symbol} · {money(h.claimable)}
            </button>
          ))}
      </div>
      {prepare.busy && <p class="progress">{t("loading")}</p>}
      {prepare.error !== null && <ErrorBox error={prepare.error} />}
      {claiming && (
        <ClaimConsent
          pool={pool}
          holder={holder}
          symbol={symbolOf(claiming.tranche)}
          amount={holdings.tranches[claiming.tranche]?.claimable ?? "0"}
          steps={claiming.steps}
          onCancel={() => setClaiming(null)}
          onDone={(r) => {
            setClaiming(null);
            setReceipt(r);
            setReload((n) => n + 1);
            onClaimed?.();
          }}
        />
      )}
      {receipt && (
        <div class="receipt" data-testid="claim-receipt" role="status">
          <p class="ok">
            ✓ {t("plClaimDone")}: <strong>{money(receipt.amount)}</strong>
          </p>
          <p class="small">
            <ProofLine proof={{ transactionHash: receipt.transactionHash, blockNumber: receipt.blockNumber }} />
          </p>
        </div>
      )}
      <h3>{t("plMyClaims")}</h3>
      {holdings.claims.length === 0 ? (
        <p class="muted">{t("plNoClaims")}</p>
      ) : (
        <ul data-testid="my-claims">
          {holdings.claims.map((c) => (
            <li key={c.transactionHash}>
              {symbolOf(c.tranche)}: {money(c.amount)} ·{" "}
              <ProofLine proof={{ transactionHash: c.transactionHash, blockNumber: c.blockNumber }} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What will be signed, in words read from the prepared transaction; who signs; then sign and send. */
function ClaimConsent(props: {
  pool: string;
  holder: string;
  symbol: string;
  amount: string;
  steps: PreparedStep[];
  onCancel: () => void;
  onDone: (r: { amount: string; transactionHash: string; blockNumber: number | null }) => void;
}) {
  const session = useSignal(current)!;
  const signer = useSignal(pageSigner);
  const demo = useDemo();
  const send = useTask();
  // Only a claim of this pool, from the holder's own account, is signed here.
  const claims = props.steps.map((s) => claimOf(s, props.pool));
  const wrong =
    props.steps.length !== 1 ||
    claims[0] === null ||
    getAddress(props.steps[0].transaction.from) !== getAddress(props.holder);
  const tx = props.steps[0]?.transaction;
  const mismatch = signer && signer.address.toLowerCase() !== props.holder.toLowerCase();
  return (
    <div class="consent" data-testid="claim-consent">
      <h3>{t("plClaimTerms")}</h3>
      {wrong || !tx ? (
        <p class="error" role="alert">
          {t("plClaimNotSigned")}
        </p>
      ) : (
        <dl class="terms" data-testid="claim-terms">
          <dt>{t("signWhat")}</dt>
          <dd>
            <strong>{t("plClaimWhat").replace("{symbol}", props.symbol)}</strong>
          </dd>
          <dt>{t("plClaimable")}</dt>
          <dd>
            <strong>{money(props.amount)}</strong>
          </dd>
          <dt>{t("plPool")}</dt>
          <dd>
            <Hash value={tx.to} />
          </dd>
          <dt>{t("plTxFrom")}</dt>
          <dd>
            <Hash value={tx.from} />
          </dd>
          <dt>{t("chain")}</dt>
          <dd>
            {tx.chainId} · {t("plTxNonce")} {String(tx.nonce)} · {t("plTxGas")} {String(tx.gasLimit)}
          </dd>
        </dl>
      )}
      <SignerChooser expected={props.holder} demo={demo} />
      <div class="actions">
        {signer && !mismatch && !wrong && (
          <button
            type="button"
            class="primary"
            disabled={send.busy}
            onClick={() =>
              send.run(async () => {
                const sent = await broadcastSigned(
                  session.key,
                  await signer.signTransaction(props.steps[0].transaction),
                );
                const claimed = sent.events.find((e) => e.event === "Claimed");
                const args = (claimed?.args ?? {}) as Record<string, unknown>;
                props.onDone({
                  amount: String(args.amount ?? props.amount),
                  transactionHash: sent.transactionHash,
                  blockNumber: sent.blockNumber,
                });
              })
            }
          >
            {t("plSignClaim")}
          </button>
        )}
        <button type="button" class="link-button" onClick={props.onCancel}>
          {t("cancel")}
        </button>
      </div>
      <div aria-live="polite">
        {send.busy && <p class="progress">{t("sending")}</p>}
        {send.error !== null && <ErrorBox error={send.error} />}
      </div>
    </div>
  );
}
