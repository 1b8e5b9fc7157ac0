/** The landing page of a signed-in organisation: what its role can do here. */
import { t, word } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import type { LabelKey } from "../i18n";
import { Title } from "./common";

export function Home({ screens }: { screens: string[] }) {
  const session = useSignal(current);
  return (
    <section>
      <Title>
        {t("welcome")}, {session?.org.name}
      </Title>
      <p>
        <span class="badge">{word(session?.org.role ?? null)}</span>
      </p>
      <p>{t("whatYouCanDo")}</p>
      <ul class="tiles">
        {screens.map((s) => (
          <li key={s}>
            <a class="tile" href={`#/${s}`}>
              {t(s as LabelKey)}
            </a>
          </li>
        ))}
      </ul>
      <p class="muted">{t("comingLater")}</p>
    </section>
  );
}
