/**
 * One pledge: its terms, status, history and proof; for its bank the later steps — release (注销), declare default,
 * record disposal — each signed in the browser, with the loss-sharing split per party; and its notices.
 */
import { useEffect, useState } from "preact/hooks";
import { dateTime, money, reasonText, t, word } from "../i18n";
import {
  actionRequests,
  getPledge,
  performAction,
  riskSchemes,
  type LossSharing,
  type Pledge,
  type PledgeAction,
  type RiskScheme,
  type SigningRequest,
  type WriteResult,
} from "../pledgeApi";
import { current } from "../session";
import { Consent } from "../signing/Consent";
import { useDemo } from "../signing/demo";
import { ErrorBox, Field, Hash, HistoryTable, ProofLine, Title, useTask } from "./common";
import { sha256Of } from "./FileDrop";
import { CoreFacts, fenOf, useAssetNames, useKnownNames } from "./pledgeParts";
import { DISPOSAL_METHODS } from "../../../definitions/enumNames";

const HASH = /^0x[0-9a-fA-F]{64}$/;

export function PledgePage({ pledgeId }: { pledgeId: string }) {
  const key = current.get()!.key;
  const me = current.get()!.org;
  const [pledge, setPledge] = useState<Pledge | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<PledgeAction | null>(null);
  const [outcome, setOutcome] = useState<WriteResult | null>(null);
  const names = useKnownNames(useAssetNames(pledge?.assets ?? []));
  const load = () => getPledge(key, pledgeId).then(setPledge, setError);
  useEffect(() => {
    setPledge(null);
    setOutcome(null);
    void load();
  }, [pledgeId]);

  if (error) return <ErrorBox error={error} />;
  if (!pledge) return <p class="progress">{t("loading")}</p>;
  const isBank = pledge.pledgee.toLowerCase() === me.address.toLowerCase();

  return (
    <section>
      <Title>
        {t("pledgeNo")} #{pledge.pledgeId}
      </Title>
      <p>
        <span class={`badge status-${pledge.status}`} data-testid="pledge-status">
          {word(pledge.status)}
        </span>
        {pledge.registrationNumber && (
          <>
            {" "}
            {t("registrationNumber")} <strong>{pledge.registrationNumber}</strong>
          </>
        )}
      </p>
      <div class="card">
        <PledgeFacts p={pledge} names={names} />
      </div>
      <p class="actions">
        {pledge.registrationNumber && <a href={`#/notice/${pledge.pledgeId}`}>{t("registrationNotice")}</a>}
        {pledge.refusal && <a href={`#/notice/${pledge.pledgeId}`}>{t("refusalNotice")}</a>}
      </p>

      {pledge.lossSharing && <LossTable ls={pledge.lossSharing} />}

      {outcome && (
        <div class="result good" role="status" data-testid="action-result">
          <h2>{word(outcome.status)}</h2>
          <ProofLine proof={outcome.proof} />
        </div>
      )}

      {isBank && !action && (pledge.status === "Registered" || pledge.status === "Enforced") && (
        <div class="actions">
          {pledge.status === "Registered" && (
            <>
              <button type="button" class="primary" onClick={() => setAction("release")}>
                {t("release")}
              </button>
              <button type="button" class="danger" onClick={() => setAction("default")}>
                {t("declareDefault")}
              </button>
            </>
          )}
          {pledge.status === "Enforced" && (
            <button type="button" class="primary" onClick={() => setAction("disposal")}>
              {t("recordDisposal")}
            </button>
          )}
        </div>
      )}
      {action && (
        <ActionPanel
          pledge={pledge}
          action={action}
          names={names}
          onDone={async (result) => {
            setOutcome(result);
            setAction(null);
            await load();
          }}
          onCancel={() => setAction(null)}
        />
      )}

      <h2>{t("history")}</h2>
      <HistoryTable history={pledge.history} />
    </section>
  );
}

export function PledgeFacts({ p, names }: { p: Pledge; names: Record<string, string> }) {
  return (
    <dl>
      <CoreFacts p={p} names={names} />
      <dt>{t("contractHash")}</dt>
      <dd>
        <Hash value={p.contractHash} />
      </dd>
      <dt>{t("submittedAt")}</dt>
      <dd>{dateTime(p.submittedAt)}</dd>
      <dt>{t("registeredAt")}</dt>
      <dd>{dateTime(p.registeredAt)}</dd>
      {p.closedAt && (
        <>
          <dt>{t("closedAt")}</dt>
          <dd>{dateTime(p.closedAt)}</dd>
        </>
      )}
      {p.disposal && (
        <>
          <dt>{t("disposalMethod")}</dt>
          <dd>
            {word(p.disposal.method)} · {t("proceeds")} {money(p.disposal.proceeds, p.currency)} · {t("loss")}{" "}
            {money(p.disposal.loss, p.currency)}
          </dd>
        </>
      )}
      {p.refusal && (
        <>
          <dt>{t("refuseReason")}</dt>
          <dd class="ko">{p.refusal.reason ? reasonText(p.refusal.reason) : p.refusal.note}</dd>
        </>
      )}
      <dt>{t("proof")}</dt>
      <dd>
        <ProofLine proof={p.proof.registration ?? p.proof.application} />
      </dd>
    </dl>
  );
}

/** The loss split as the register recorded it: each party's share and the bank's. */
export function LossTable({ ls, preview = false }: { ls: LossSharing; preview?: boolean }) {
  return (
    <div class="card" data-testid={preview ? "loss-preview" : "loss-sharing"}>
      <h2>{t(preview ? "lossPreview" : "lossSharing")}</h2>
      <p>
        {t("loss")}: <strong>{money(ls.loss)}</strong>
        {ls.scheme && ` · ${t("riskScheme")} ${ls.scheme}`}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("party")}</th>
              <th scope="col" class="num">
                {t("share")}
              </th>
            </tr>
          </thead>
          <tbody>
            {ls.parties.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td class="num">{money(p.share)}</td>
              </tr>
            ))}
            <tr>
              <td>
                <strong>{t("theBank")}</strong>
              </td>
              <td class="num">
                <strong>{money(ls.bankShare)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      {preview && <p class="help">{t("lossPreviewHelp")}</p>}
    </div>
  );
}

/** The loss split a disposal would give by the scheme's shares and per-loan caps (the register applies yearly caps). */
function previewSplit(scheme: RiskScheme, loss: bigint): LossSharing {
  const parties = scheme.parties.map((p) => {
    let share = (loss * BigInt(p.shareBps)) / 10_000n;
    const cap = BigInt(p.perLoanCap);
    if (cap > 0n && share > cap) share = cap;
    return { name: p.name, share };
  });
  const bank = loss - parties.reduce((sum, p) => sum + p.share, 0n);
  return {
    scheme: scheme.key,
    loss: loss.toString(),
    bankShare: bank.toString(),
    parties: parties.map((p) => ({ name: p.name, share: p.share.toString() })),
  };
}

function ActionPanel(props: {
  pledge: Pledge;
  action: PledgeAction;
  names: Record<string, string>;
  onDone: (r: WriteResult) => Promise<void>;
  onCancel: () => void;
}) {
  const { pledge, action } = props;
  const key = current.get()!.key;
  const demo = useDemo();
  const [evidence, setEvidence] = useState("");
  const [method, setMethod] = useState("Transfer");
  const [proceeds, setProceeds] = useState("");
  const [transferee, setTransferee] = useState("");
  const [request, setRequest] = useState<{ fields: Record<string, unknown>; mine: SigningRequest } | null>(null);
  const [scheme, setScheme] = useState<RiskScheme | null>(null);
  const { busy, error, run } = useTask();
  useEffect(() => {
    if (action === "disposal" && pledge.riskScheme) {
      riskSchemes(key).then(
        (all) => setScheme(all.find((s) => s.key === pledge.riskScheme) ?? null),
        () => undefined,
      );
    }
  }, [action]);

  const fen = fenOf(proceeds);
  const loss = fen !== null ? BigInt(pledge.principal) - BigInt(fen) : null;

  const fieldsOf = (): Record<string, unknown> | string => {
    if (action === "release") return {};
    if (action === "default") {
      if (evidence && !HASH.test(evidence)) return t("evidence");
      return evidence ? { evidenceHash: evidence.toLowerCase() } : {};
    }
    if (fen === null) return t("proceedsYuan");
    if (!HASH.test(evidence)) return t("evidence");
    if (method === "Transfer" && !/^0x[0-9a-fA-F]{40}$/.test(transferee)) return t("transferee");
    return {
      method,
      proceeds: fen,
      evidenceHash: evidence.toLowerCase(),
      ...(method === "Transfer" ? { transferee } : {}),
    };
  };
  const [problem, setProblem] = useState<string | null>(null);
  const prepare = () =>
    run(async () => {
      const fields = fieldsOf();
      if (typeof fields === "string") return setProblem(fields);
      setProblem(null);
      const requests = await actionRequests(key, pledge.pledgeId, action, fields);
      const me = current.get()!.org.address.toLowerCase();
      const mine = requests.find((r) => r.address.toLowerCase() === me);
      if (!mine) throw new Error(t("notTheSigner"));
      setRequest({ fields, mine });
    });

  const title = { release: "release", default: "declareDefault", disposal: "recordDisposal" } as const;
  return (
    <div class="card action-panel" data-testid={`action-${action}`}>
      <h2>{t(title[action])}</h2>
      <p class="help">{t(`${action}Help` as "releaseHelp")}</p>
      {!request && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void prepare();
          }}
        >
          {action === "disposal" && (
            <>
              <Field label={t("disposalMethod")} id="disposal-method">
                <select id="disposal-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
                  {DISPOSAL_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {word(m)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t("proceedsYuan")} id="proceeds">
                <input
                  id="proceeds"
                  inputMode="decimal"
                  value={proceeds}
                  onInput={(e) => setProceeds(e.currentTarget.value)}
                />
              </Field>
              {method === "Transfer" && (
                <Field label={t("transferee")} id="transferee">
                  <input
                    id="transferee"
                    class="mono"
                    placeholder="0x…"
                    value={transferee}
                    onInput={(e) => setTransferee(e.currentTarget.value.trim())}
                  />
                </Field>
              )}
            </>
          )}
          {action !== "release" && (
            <div class="row">
              <Field
                label={t(action === "default" ? "evidenceOptional" : "evidence")}
                id="evidence"
                help={t("hashedHere")}
              >
                <input
                  id="evidence"
                  class="mono"
                  placeholder="0x…"
                  value={evidence}
                  onInput={(e) => setEvidence(e.currentTarget.value.trim())}
                />
              </Field>
              <Field label={t("orChooseFile")} id="evidence-file">
                <input
                  id="evidence-file"
                  type="file"
                  onChange={async (e) => {
                    const file = e.currentTarget.files?.[0];
                    if (file) setEvidence(await sha256Of(file));
                  }}
                />
              </Field>
            </div>
          )}
          {action === "disposal" && loss !== null && loss >= 0n && scheme && (
            <LossTable ls={previewSplit(scheme, loss)} preview />
          )}
          {action === "disposal" && loss !== null && loss >= 0n && !pledge.riskScheme && (
            <p class="notice">
              {t("noSchemeBankBears")} {money(loss.toString(), pledge.currency)}
            </p>
          )}
          {problem && (
            <p class="error" role="alert">
              {t("stillMissing")}: {problem}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t("continueToSign")}
            </button>
            <button type="button" onClick={props.onCancel}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}
      {request && (
        <Consent
          data={request.mine.typedData}
          expected={request.mine.address}
          names={props.names}
          demo={demo}
          label="signAndSend"
          onSigned={async (signature) => {
            const result = await performAction(key, pledge.pledgeId, action, request.fields, [
              { request: request.mine, signature },
            ]);
            await props.onDone(result);
          }}
        />
      )}
      <div aria-live="polite">
        {busy && <p class="progress">{t("loading")}</p>}
        {error !== null && <ErrorBox error={error} />}
      </div>
    </div>
  );
}
