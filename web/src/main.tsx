/** The app shell: header (language, who is signed in), the menu of the signed-in role, and the screen in the URL. */
import { render } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
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
import { Later } from "./screens/Later";
import { Pools } from "./screens/Pools";
// webdesk: the "my work" inbox (every role's landing page) and the bank's watchlist
import { Inbox } from "./screens/Inbox";
import { Watchlist } from "./screens/Watchlist";
import { withDesk } from "./deskScreens";
// end webdesk
// webregister: the registration office's asset register (list, record) and an asset's page with its timeline
import { AssetRegister } from "./screens/AssetRegister";
import { AssetPage } from "./screens/AssetPage";
const REGISTER_TITLES: Record<string, LabelKey> = { "asset-register": "asset-register", asset: "assetRegister" };
/** The office's menu gains the asset register after its queue. */
const withAssetRegister = (role: string | undefined, screens: string[]) =>
  role === "registrar" ? [screens[0], "asset-register", ...screens.slice(1)] : screens;
// end webregister

const TITLES: Record<string, LabelKey> = {
  verify: "verify",
  collateral: "collateral",
  bulk: "bulk",
  queue: "queue",
  pledges: "myPledges",
  apply: "newApplication",
  application: "application",
  pledge: "pledgeNo",
  notice: "registrationNotice",
  sign: "signLinkTitle",
  reports: "reports",
  pools: "pools",
  "sign-in": "signIn",
  // webdesk
  inbox: "inbox",
  watchlist: "watchlist",
  licence: "licDraftTitle",
  // end webdesk
  "": "home",
  ...REGISTER_TITLES, // webregister
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
  // webdesk (inbox first, watchlist) over webregister (the office's asset register after its queue)
  const screens = withDesk(session?.org.role, withAssetRegister(session?.org.role, screensFor(session?.org.role)));
  // A layout effect: the focus moves before the new screen is painted, so a key pressed as soon as the
  // heading shows starts from the heading (with a plain effect, a quick Tab could start from the page's top).
  useLayoutEffect(() => {
    document.title = `${t(TITLES[route.split("/")[0]] ?? "home")} · ${t("appName")}`;
    // After a change of screen, move the focus to the new screen (keyboard and screen-reader users start there).
    heading.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route, session]);

  // The bank's pledge screens take an id after the screen's name: #/pledge/12, #/sign/<token>.
  const [base, param] = [route.split("/")[0], route.split("/").slice(1).join("/")];
  let screen;
  if (route === "verify") screen = <Verify />;
  else if (base === "sign" && param) screen = <Later key={route} name="SignLink" props={{ token: param }} />;
  else if (!session) screen = <SignIn />;
  else if (route === "pledges" && screens.includes("pledges"))
    screen = <Later key={route} name="MyPledges" props={{}} />;
  else if (route === "apply" && screens.includes("apply")) screen = <Later key={route} name="Apply" props={{}} />;
  else if (base === "application" && param) {
    screen = <Later key={route} name="DraftScreen" props={{ draftId: param }} />;
  } else if (base === "pledge" && param) screen = <Later key={route} name="PledgePage" props={{ pledgeId: param }} />;
  else if (base === "notice" && param) screen = <Later key={route} name="Notice" props={{ pledgeId: param }} />;
  else if (route === "collateral" && screens.includes("collateral")) screen = <CollateralCheck />;
  else if (route === "bulk" && screens.includes("bulk")) screen = <BulkCheck />;
  else if (route === "queue" && screens.includes("queue")) screen = <Queue />;
  else if (route === "reports" && screens.includes("reports"))
    screen = <Later key={route} name="Evaluator" props={{}} />; // signs: loaded with the signing module
  else if (route === "pools" && screens.includes("pools")) screen = <Pools />;
  // webdesk
  else if (route === "inbox") screen = <Inbox />;
  else if (route === "watchlist" && screens.includes("watchlist")) screen = <Watchlist />;
  // (an asset's timeline is its page, #/asset/{id}, for the bank as for the office)
  else if (base === "licence" && param) {
    screen = <Later key={route} name="LicenceDraftScreen" props={{ draftId: param }} />;
  }
  // end webdesk
  // webregister
  else if (route === "asset-register" && screens.includes("asset-register")) screen = <AssetRegister />;
  else if (base === "asset" && param) screen = <AssetPage key={route} assetId={param} />;
  // end webregister
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
