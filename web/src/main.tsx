/** The app shell: header (language, who is signed in), the menu of the signed-in role, and the screen in the URL. */
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "./style.css";
import { lang, setLang, t, word, type LabelKey } from "./i18n";
import { useSignal } from "./state";
import { current, restore, screensFor, signOut } from "./session";
import { SignIn } from "./screens/SignIn";
import { Verify } from "./screens/Verify";
import { CollateralCheck } from "./screens/Collateral";
import { BulkCheck } from "./screens/BulkCheck";
import { Queue } from "./screens/Queue";
import { Home } from "./screens/Home";
import { Evaluator } from "./screens/Evaluator";
import { Pools } from "./screens/Pools";

const TITLES: Record<string, LabelKey> = {
  verify: "verify",
  collateral: "collateral",
  bulk: "bulk",
  queue: "queue",
  reports: "reports",
  pools: "pools",
  "sign-in": "signIn",
  "": "home",
};

function useRoute() {
  const read = () => location.hash.replace(/^#\/?/, "").split("?")[0];
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

function App() {
  useSignal(lang);
  const session = useSignal(current);
  const route = useRoute();
  const heading = useRef<HTMLDivElement>(null);
  const screens = screensFor(session?.org.role);
  useEffect(() => {
    document.title = `${t(TITLES[route] ?? "home")} · ${t("appName")}`;
    // After a change of screen, move the focus to the new screen (keyboard and screen-reader users start there).
    heading.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route, session]);

  let screen;
  if (route === "verify") screen = <Verify />;
  else if (!session) screen = <SignIn />;
  else if (route === "collateral" && screens.includes("collateral")) screen = <CollateralCheck />;
  else if (route === "bulk" && screens.includes("bulk")) screen = <BulkCheck />;
  else if (route === "queue" && screens.includes("queue")) screen = <Queue />;
  else if (route === "reports" && screens.includes("reports")) screen = <Evaluator />;
  else if (route === "pools" && screens.includes("pools")) screen = <Pools />;
  else screen = <Home screens={screens} />;

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        {t("skip")}
      </a>
      <header class="top">
        <a class="brand" href="#/">
          {t("appName")}
        </a>
        <div class="top-actions">
          <button
            type="button"
            class="link-button"
            lang={lang.get() === "zh" ? "en" : "zh-CN"}
            aria-label={t("languageLabel")}
            onClick={() => setLang(lang.get() === "zh" ? "en" : "zh")}
          >
            {t("language")}
          </button>
          {session ? (
            <span class="who">
              <span class="muted">{t("signedInAs")}:</span> <strong>{session.org.name}</strong>{" "}
              <span class="badge">{word(session.org.role)}</span>{" "}
              <button type="button" class="link-button" onClick={() => (signOut(), (location.hash = "#/"))}>
                {t("signOut")}
              </button>
            </span>
          ) : (
            <a href="#/sign-in">{t("signIn")}</a>
          )}
        </div>
      </header>
      <nav class="menu" aria-label={t("menu")}>
        <ul>
          {(session ? screens : ["verify"]).map((s) => (
            <li key={s}>
              <a href={`#/${s}`} aria-current={route === s ? "page" : undefined}>
                {t(TITLES[s])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} ref={heading}>
        {screen}
      </main>
    </>
  );
}

document.documentElement.lang = lang.get() === "zh" ? "zh-CN" : "en";
restore().finally(() => render(<App />, document.getElementById("app")!));
