/** A screen from a chunk loaded on first use (the signing screens' ethers stays out of the first download). */
import { useEffect, useState } from "preact/hooks";
import type { FunctionComponent } from "preact";
import { t } from "../i18n";
import { ErrorBox } from "./common";

type Screens = typeof import("./pledgeScreens");
let loading: Promise<Screens> | null = null;

export function Later(props: { name: keyof Screens; props: Record<string, string> }) {
  const [screens, setScreens] = useState<Screens | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    (loading ??= import("./pledgeScreens")).then(setScreens, (e) => ((loading = null), setError(e)));
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (!screens) return <p class="progress">{t("loading")}</p>;
  const Screen = screens[props.name] as unknown as FunctionComponent<Record<string, string>>;
  return <Screen {...props.props} />;
}
