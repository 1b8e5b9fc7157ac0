/**
 * Times as the API writes them (README "Conventions"): a calendar date is `YYYY-MM-DD`, the UTC day of the second
 * the register stores for it (a date given to the API is stored as 00:00:00 UTC of that day); an instant is
 * ISO 8601 in UTC (`2027-06-30T08:15:00.000Z`). Zero on chain means "not set" and is written null.
 */
export const isoOf = (seconds: bigint | number) =>
  Number(seconds) === 0 ? null : new Date(Number(seconds) * 1000).toISOString();

export const dateOf = (seconds: bigint | number) =>
  Number(seconds) === 0 ? null : new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
