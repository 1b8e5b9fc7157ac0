/**
 * Signing in the browser: the request's terms in words (read from the very message that is signed), who signs
 * (a key held in this page, the demo key, or an injected wallet), and the Sign button. The key never leaves the
 * page; only the signature is handed to `onSigned`.
 */
import { useState } from "preact/hooks";
import { DISPOSAL_METHODS } from "../../../definitions/enumNames";
import { decodeBytes32String, toUtf8String, ZeroAddress, ZeroHash } from "ethers";
import { date, dateTime, money, named, t, word, type LabelKey } from "../i18n";
import { VALUATION_METHODS } from "../../../definitions/enumNames";
import { useSignal } from "../state";
import { ErrorBox, Field, Hash } from "../screens/common";
import {
  digestOf,
  forgetSigner,
  hasInjectedWallet,
  KeyProblem,
  pageSigner,
  signWithDemoKey,
  signWithKeyFile,
  signWithWallet,
} from "./signer";
import { signingProblem, type TypedData } from "./typedData";

/** Names to read ids by: assets ("发明专利 ZL…") and parties (an organisation's name) by id or address. */
export type Names = Record<string, string>;

const text32 = (v: unknown) => {
  try {
    return decodeBytes32String(String(v));
  } catch {
    return String(v);
  }
};
const currency3 = (v: unknown) => {
  try {
    return toUtf8String(String(v)).replace(/\0+$/, "");
  } catch {
    return "CNY";
  }
};
const secondsDate = (v: unknown) => date(new Date(Number(v) * 1000).toISOString().slice(0, 10));
const secondsTime = (v: unknown) => dateTime(new Date(Number(v) * 1000).toISOString());

function Party({ address, names }: { address: unknown; names: Names }) {
  const a = String(address);
  const name = names[a.toLowerCase()];
  return (
    <span>
      {name && <strong>{name} </strong>}
      <Hash value={a} />
    </span>
  );
}

/** Assets by number when known, else by id. */
function Assets({ ids, names }: { ids: unknown; names: Names }) {
  return (
    <ul class="plain">
      {(Array.isArray(ids) ? (ids as string[]) : []).map((id) => (
        <li key={id}>{names[id.toLowerCase()] ? <strong>{names[id.toLowerCase()]}</strong> : <Hash value={id} />}</li>
      ))}
    </ul>
  );
}

/** The request's message in words, field by field. */
export function SigningTerms({ data, names }: { data: TypedData; names: Names }) {
  const m = data.message;
  // An evaluator's request is named in the labels (sign_…); a pledge party's in the register's words.
  const what = named("sign_", data.primaryType);
  const rows: [LabelKey, preact.ComponentChildren][] = [
    ["signWhat", <strong>{what === data.primaryType ? word(what) : what}</strong>],
  ];
  if (data.primaryType === "PledgeApplication") {
    const terms = m.terms as Record<string, unknown>;
    const debt = terms.debt as Record<string, unknown>;
    const cur = currency3(debt.currency);
    rows.push(
      ["assets", <Assets ids={terms.assetIds} names={names} />],
      [
        "pledgors",
        <ul class="plain">
          {(terms.pledgors as string[]).map((a) => (
            <li key={a}>
              <Party address={a} names={names} />
            </li>
          ))}
        </ul>,
      ],
      ["pledgee", <Party address={terms.pledgee} names={names} />],
      ["debtor", <strong>{text32(debt.debtor)}</strong>],
      ["securedAmount", <strong>{money(String(debt.principal), cur)}</strong>],
      ["loanTerm", <>{`${secondsDate(debt.startDate)} – ${secondsDate(debt.maturityDate)}`}</>],
      ["contractHash", <Hash value={String(terms.contractHash)} />],
      ["valuation", <Hash value={String(terms.valuationReportId)} />],
      ["riskScheme", <>{Number(terms.riskScheme) === 0 ? t("none") : `#${String(terms.riskScheme)}`}</>],
      [
        "forfeitureClause",
        <strong class={terms.forfeitureClause ? "ko" : undefined}>
          {terms.forfeitureClause ? t("yes") : t("no")}
        </strong>,
      ],
      ["invalidationAck", <>{terms.invalidationAcknowledged ? t("yes") : t("no")}</>],
    );
  } else if (data.primaryType === "ReportAnchoring") {
    const r = m.report as Record<string, unknown>;
    rows.push(
      ["fileHash", <Hash value={String(r.documentHash)} />],
      [
        "evAssetsShort",
        <ul class="plain">
          {(r.assetIds as string[]).map((id) => (
            <li key={id}>
              {names[id.toLowerCase()] && <strong>{names[id.toLowerCase()]} </strong>}
              <Hash value={id} />
            </li>
          ))}
        </ul>,
      ],
      ["evValue", <strong>{money(String(r.value), currency3(r.currency))}</strong>],
      ["evMethod", <>{named("method_", VALUATION_METHODS[Number(r.method)] ?? String(r.method))}</>],
      ["evValuationDate", <>{secondsDate(r.valuationDate)}</>],
      ["evValidUntil", <>{secondsDate(r.validUntil)}</>],
    );
    if (r.supersedes !== ZeroHash) rows.push(["evSupersedes", <Hash value={String(r.supersedes)} />]);
    if (r.uri) rows.push(["evUri", <>{String(r.uri)}</>]);
  } else if (data.primaryType === "BatchAnchoring" || data.primaryType === "BatchRevocation") {
    rows.push(["evBatchLine", <Hash value={String(m.root)} />]);
    if ("reportCount" in m) rows.push(["batchReportCount", <strong>{String(m.reportCount)}</strong>]);
    if ("reason" in m) rows.push(["evRevokeReason", <strong>{String(m.reason)}</strong>]);
  } else if (data.primaryType === "FirstLicenceGrant" || data.primaryType === "SubLicenceGrant") {
    const parties = (list: unknown) => (
      <ul class="plain">
        {(Array.isArray(list) ? list : []).map((a: string) => (
          <li key={a}>
            <Party address={a} names={names} />
          </li>
        ))}
      </ul>
    );
    if (data.primaryType === "FirstLicenceGrant") {
      rows.push(
        ["licAssets", <Assets ids={m.assetIds} names={names} />],
        ["licLicensors", parties(m.licensors)],
        ["licLicensee", <Party address={m.licensee} names={names} />],
        ["licExclusive", <>{m.exclusive ? t("yes") : t("no")}</>],
        ["licSubLicensable", <>{m.subLicensable ? t("yes") : t("no")}</>],
        ["licUpfrontFee", <strong>{money(String(m.upfrontFee))}</strong>],
      );
    } else {
      rows.push(
        ["licFirstLicence", <strong>#{String(m.firstLicenceId)}</strong>],
        ["licLicensee", <Party address={m.licensee} names={names} />],
        [
          "licSchedule",
          <ul class="plain">
            {(Array.isArray(m.schedule) ? (m.schedule as Record<string, unknown>[]) : []).map((i, n) => (
              <li key={n}>
                {secondsDate(i.dueDate)} · <strong>{money(String(i.amount))}</strong>
              </li>
            ))}
          </ul>,
        ],
      );
    }
    rows.push(
      ["licTerm", <>{`${secondsDate(m.startDate)} – ${secondsDate(m.endDate)}`}</>],
      ["licContract", <Hash value={String(m.contractHash)} />],
    );
  } else if (data.primaryType === "ReportRevocation") {
    rows.push(
      ["fileHash", <Hash value={String(m.documentHash)} />],
      ["evRevokeReason", <strong>{String(m.reason)}</strong>],
    );
  } else {
    rows.push(["pledgeNo", <strong>{String(m.pledgeId)}</strong>]);
    if ("method" in m)
      rows.push(["disposalMethod", <>{word(DISPOSAL_METHODS[Number(m.method)] ?? String(m.method))}</>]);
    if ("proceeds" in m) rows.push(["proceeds", <strong>{money(String(m.proceeds))}</strong>]);
    if ("transferee" in m && m.transferee !== ZeroAddress) {
      rows.push(["transferee", <Party address={m.transferee} names={names} />]);
    }
    if ("principal" in m) rows.push(["securedAmount", <strong>{money(String(m.principal))}</strong>]);
    if ("maturityDate" in m) rows.push(["maturity", <>{secondsDate(m.maturityDate)}</>]);
    if ("evidenceHash" in m) {
      rows.push(["evidence", m.evidenceHash === ZeroHash ? <>{t("none")}</> : <Hash value={String(m.evidenceHash)} />]);
    }
  }
  rows.push(
    ["signer", <Party address={m.signer} names={names} />],
    ["signUntil", <>{secondsTime(m.deadline)}</>],
    [
      "signedFor",
      <>
        {t("chain")} {data.domain.chainId} · <Hash value={data.domain.verifyingContract} />
      </>,
    ],
    ["fingerprint", <Hash value={digestOf(data)} />],
  );
  return (
    <dl class="terms" data-testid="signing-terms">
      {rows.map(([label, value]) => (
        <>
          <dt key={`${label}-t`}>{t(label)}</dt>
          <dd key={`${label}-d`}>{value}</dd>
        </>
      ))}
    </dl>
  );
}

/** Choose who signs: the demo key (demo only), a key file or pasted key, or the injected wallet. */
export function SignerChooser({ expected, demo }: { expected: string; demo: boolean }) {
  const signer = useSignal(pageSigner);
  const [keyText, setKeyText] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const attempt = async (work: () => Promise<unknown> | unknown) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      setKeyText("");
      setPassword("");
    } catch (e) {
      setError(e instanceof KeyProblem ? new Error(t(e.problem)) : e);
    } finally {
      setBusy(false);
    }
  };
  if (signer) {
    const mismatch = signer.address.toLowerCase() !== expected.toLowerCase();
    return (
      <div class={`signer-box ${mismatch ? "bad" : ""}`}>
        <p data-testid="signer-address">
          {t("signingAs")}: <Hash value={signer.address} /> <span class="badge">{t(`source_${signer.source}`)}</span>{" "}
          <button type="button" class="link-button" onClick={forgetSigner}>
            {t("forgetKey")}
          </button>
        </p>
        {mismatch && (
          <p class="ko" role="alert">
            {t("notTheSigner")} <Hash value={expected} />
          </p>
        )}
      </div>
    );
  }
  return (
    <fieldset class="card signer-box">
      <legend>{t("whoSigns")}</legend>
      <p class="help">{t("keyStaysHere")}</p>
      <div class="actions">
        {demo && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              attempt(() => {
                if (!signWithDemoKey(expected)) throw new Error(t("noDemoKey"));
              })
            }
          >
            {t("useDemoKey")}
          </button>
        )}
        {hasInjectedWallet() && (
          <button type="button" disabled={busy} onClick={() => attempt(signWithWallet)}>
            {t("useWallet")}
          </button>
        )}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(() => signWithKeyFile(keyText, password));
        }}
      >
        <Field label={t("privateKey")} id="private-key" help={t("privateKeyHelp")}>
          <input
            id="private-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            aria-describedby="private-key-help"
            value={keyText.startsWith("{") ? t("keystoreLoaded") : keyText}
            onInput={(e) => setKeyText(e.currentTarget.value)}
          />
        </Field>
        <div class="row">
          <Field label={t("keyFile")} id="key-file">
            <input
              id="key-file"
              type="file"
              accept=".json,.txt,.key,application/json,text/plain"
              onChange={async (e) => {
                const file = e.currentTarget.files?.[0];
                if (file) setKeyText((await file.text()).trim());
              }}
            />
          </Field>
          {keyText.startsWith("{") && (
            <Field label={t("keystorePassword")} id="keystore-password">
              <input
                id="keystore-password"
                type="password"
                autoComplete="off"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </Field>
          )}
        </div>
        <button type="submit" disabled={busy || !keyText.trim()}>
          {t("useThisKey")}
        </button>
      </form>
      {busy && <p class="progress">{t("openingKey")}</p>}
      {error !== null && <ErrorBox error={error} />}
    </fieldset>
  );
}

/**
 * The whole consent: terms in words, who signs, and Sign (every screen that signs uses it: the bank's pledge steps,
 * a party's signing link, the evaluator's reports, batches and revocations). `onSigned` receives the signature (and sends it where it
 * goes); a request the page must not sign (other types, another signer) is refused with the reason.
 */
export function Consent(props: {
  data: TypedData;
  expected: string;
  names: Names;
  demo: boolean;
  label?: LabelKey;
  /** false: the page chooses its key once, above (the evaluator's desk); here only who signs is shown. */
  chooser?: boolean;
  onSigned: (signature: string) => Promise<void>;
}) {
  const signer = useSignal(pageSigner);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problem = signer ? signingProblem(props.data, signer.address) : null;
  const sign = async () => {
    setError(null);
    setBusy(true);
    try {
      await props.onSigned(await signer!.sign(props.data));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="consent">
      <h3>{t("youSign")}</h3>
      <SigningTerms data={props.data} names={props.names} />
      {props.chooser === false ? (
        !signer && (
          <p class="error" role="alert">
            {t("chooseKeyAbove")}
          </p>
        )
      ) : (
        <SignerChooser expected={props.expected} demo={props.demo} />
      )}
      {problem && problem !== "otherSigner" && (
        <p class="error" role="alert">
          {t(`problem_${problem}`)}
        </p>
      )}
      {signer && !problem && (
        <button type="button" class="primary" disabled={busy} onClick={sign}>
          {t(props.label ?? "signNow")}
        </button>
      )}
      <div aria-live="polite">
        {busy && <p class="progress">{t("signing")}</p>}
        {error !== null && <ErrorBox error={error} />}
      </div>
    </div>
  );
}
