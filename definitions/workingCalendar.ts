/**
 * Mainland China's working calendar for the registration office's one-working-day limit (SPEC §1): the public
 * holidays and the adjusted working weekends (调休上班日) the State Council publishes each November for the next year.
 * One definition for every part that counts working days (the web app's countdown today; the gateway if it ever
 * counts). Dates are Beijing calendar days.
 *
 * A year not listed here has not been entered (or not published yet): for it only Saturdays and Sundays are skipped,
 * and screens say that the countdown ignores its public holidays. Add a year from its notice, ranges as published.
 */

export interface PublishedYear {
  /** the notice the dates come from */
  source: string;
  /** public holidays, each an inclusive range of days (放假) */
  holidays: [from: string, to: string][];
  /** Saturdays or Sundays that are working days (上班) */
  workingWeekends: string[];
}

export const WORKING_CALENDAR: Record<number, PublishedYear> = {
  2025: {
    source: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
    holidays: [
      ["2025-01-01", "2025-01-01"], // 元旦
      ["2025-01-28", "2025-02-04"], // 春节
      ["2025-04-04", "2025-04-06"], // 清明节
      ["2025-05-01", "2025-05-05"], // 劳动节
      ["2025-05-31", "2025-06-02"], // 端午节
      ["2025-10-01", "2025-10-08"], // 国庆节、中秋节
    ],
    workingWeekends: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
  },
  2026: {
    source: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布）",
    holidays: [
      ["2026-01-01", "2026-01-03"], // 元旦
      ["2026-02-15", "2026-02-23"], // 春节
      ["2026-04-04", "2026-04-06"], // 清明节
      ["2026-05-01", "2026-05-05"], // 劳动节
      ["2026-06-19", "2026-06-21"], // 端午节
      ["2026-09-25", "2026-09-27"], // 中秋节
      ["2026-10-01", "2026-10-07"], // 国庆节
    ],
    workingWeekends: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
  },
  // 2027: the State Council's notice for 2027 was not available when this file was written; enter it from the notice.
};

/** The years whose holidays are known, ascending. */
export const CALENDAR_YEARS = Object.keys(WORKING_CALENDAR)
  .map(Number)
  .sort((a, b) => a - b);

const holidayDays = new Set<string>();
const workingWeekendDays = new Set<string>();
for (const year of Object.values(WORKING_CALENDAR)) {
  for (const [from, to] of year.holidays) {
    for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
      holidayDays.add(new Date(d).toISOString().slice(0, 10));
    }
  }
  for (const day of year.workingWeekends) workingWeekendDays.add(day);
}

/** Whether the calendar knows the public holidays of a day's year (YYYY-MM-DD). */
export const holidaysKnown = (day: string) => Number(day.slice(0, 4)) in WORKING_CALENDAR;

/**
 * Whether a Beijing calendar day (YYYY-MM-DD) is a working day: not a public holiday, and Monday to Friday unless an
 * adjusted working weekend. In a year not in the calendar, Monday to Friday.
 */
export function isWorkingDay(day: string): boolean {
  if (holidayDays.has(day)) return false;
  if (workingWeekendDays.has(day)) return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
