/** Small pieces every screen uses: headings that take focus, proofs, errors in words. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError, type Proof } from "../api";
import { reasonText, t, word, REASONS, type LabelKey } from "../i18n";

export const Title = ({ children }: { children: ComponentChildren }) => <h1 tabIndex={-1}>{children}</h1>;

export const Hash = ({ value }: { value: string | null }) => (value ? <code class="hash">{value}</code> : <>—</>);

export function ProofLine({ proof }: { proof: Proof | null }) {
  if (!proof) return <>—</>;
  return (
    <span class="proof">
      {t("transaction")} <code class="hash">{proof.transactionHash}</code>
      {proof.blockNumber !== null && (
        <>
          {" "}
          · {t("block")} <strong>{proof.blockNumber.toLocaleString()}</strong>
        </>
      )}
    </span>
  );
}

/** A failure: the reason in words when it is a known code, the gateway's message, and what to do next. */
export function ErrorBox({ error, next = "retryGeneric" }: { error: unknown; next?: LabelKey }) {
  const e = error instanceof ApiError ? error : null;
  const known = e && REASONS[e.code];
  const words = known ? reasonText(e.code) : e?.code === "UNAUTHENTICATED" ? t("unknownKey") : null;
  return (
    <div class="error" role="alert">
      <strong>{t("error")}:</strong> {words ?? e?.message ?? (error instanceof Error ? error.message : String(error))}
      {words && <div class="muted">{e!.message}</div>}
      <div>
        {t("whatNext")}: {t(e?.code === "UNAUTHENTICATED" ? "checkKey" : next)}
      </div>
    </div>
  );
}

export function Field(props: { label: string; id: string; help?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.help && (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      )}
    </div>
  );
}

/** One user action at a time: busy while it runs, its failure kept to show. */
export function useTask() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A register history as a table: event, (pledge number,) block and transaction of each entry. */
/** What each history row needs: the collateral's history has pledge numbers, a pledge's own history does not. */
interface HistoryRow {
  event: string;
  blockNumber: number | null;
  transactionHash: string | null;
  pledgeId?: string | null;
}

export function HistoryTable({ history, withPledge = false }: { history: HistoryRow[]; withPledge?: boolean }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t("event")}</th>
            {withPledge && <th scope="col">{t("pledgeNo")}</th>}
            <th scope="col">{t("block")}</th>
            <th scope="col">{t("transaction")}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h, i) => (
            <tr key={i}>
              <td>{word(h.event)}</td>
              {withPledge && <td>{h.pledgeId ?? "—"}</td>}
              <td>{h.blockNumber ?? "—"}</td>
              <td>
                <Hash value={h.transactionHash} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
