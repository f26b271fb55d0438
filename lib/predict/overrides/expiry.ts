/**
 * `expires`: an ISO 8601 date (`2027-01-31`: from 00:00 UTC that day) or date-time with an explicit zone
 * (`2027-01-31T18:00:00Z`, `…+02:00`). A time without a zone is refused: whose midnight would it be?
 */
import { utcTimestamp } from '../../util/utcTime.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** ms since the epoch, or undefined when the text is not such a date or date-time. */
export function parseExpiry(text: string): number | undefined {
  const d = DATE.exec(text);
  if (d) return utcTimestamp(Number(d[1]), Number(d[2]), Number(d[3]));
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const local = utcTimestamp(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (local === undefined) return undefined;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (m[8] === 'Z') return local + fraction;
  const zh = Number(m[9]);
  const zm = Number(m[10]);
  if (zh > 23 || zm > 59) return undefined;
  const offset = (zh * 60 + zm) * 60_000 * (m[8]!.startsWith('-') ? -1 : 1);
  return local + fraction - offset;
}
