/** Sign in with an organisation's API key, or, on the local demo chain, by picking a demo organisation. */
import { useEffect, useState } from "preact/hooks";
import { demoOrganisations, type DemoOrganisation } from "../api";
import { t, word } from "../i18n";
import { signIn } from "../session";
import { ErrorBox, Field, Title, useTask } from "./common";

export function SignIn() {
  const [key, setKey] = useState("");
  const [demo, setDemo] = useState<DemoOrganisation[] | null>(null);
  const { busy, error, run } = useTask();
  useEffect(() => {
    demoOrganisations().then(setDemo, () => setDemo(null));
  }, []);

  const go = (apiKey: string) =>
    run(async () => {
      await signIn(apiKey);
      // Every role lands on "my work": what waits for it (webdesk).
      location.hash = "#/inbox";
    });

  return (
    <section>
      <Title>{t("signIn")}</Title>
      {demo && demo.length > 0 && (
        <fieldset class="card">
          <legend>{t("demoPicker")}</legend>
          <p class="help">{t("demoHelp")}</p>
          <ul class="picker">
            {demo.map((o) => (
              <li key={o.id}>
                <button type="button" disabled={busy} onClick={() => go(o.apiKey)}>
                  <strong>{o.name}</strong>
                  <span class="badge">{word(o.role)}</span>
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void go(key.trim());
        }}
      >
        <Field label={t("apiKey")} id="api-key" help={t("apiKeyHelp")}>
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            aria-describedby="api-key-help"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            required
          />
        </Field>
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          {t("signIn")}
        </button>
      </form>
      {error !== null && <ErrorBox error={error} />}
    </section>
  );
}
