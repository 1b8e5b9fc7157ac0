/** The desk's screens in each role's menu: "my work" first (the landing page after sign-in), the watchlist for banks. */
export function withDesk(role: string | undefined, screens: string[]): string[] {
  if (!role) return screens;
  const desk = ["inbox", ...screens];
  if (role === "pledgee") desk.splice(desk.indexOf("pledges") + 1 || desk.length, 0, "watchlist");
  return desk;
}
