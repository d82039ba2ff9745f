// Calendar dates as ISO strings (YYYY-MM-DD), the GraphQL `Date` scalar. Arithmetic runs on UTC
// midnights, so no time zone or daylight-saving change ever shifts a day; formatting goes through
// Intl.DateTimeFormat in the page's language.
import { intlLocale } from "../i18n";

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utc(date: IsoDate): Date {
  const [, y, m, d] = ISO_DATE.exec(date)!;
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

function iso(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** Whether `value` is a real calendar date written YYYY-MM-DD (not 2024-02-30). */
export function isIsoDate(value: string | null | undefined): value is IsoDate {
  if (!value || !ISO_DATE.test(value)) return false;
  const date = utc(value);
  return !Number.isNaN(date.getTime()) && iso(date) === value;
}

/** Today in the browser's own time zone. */
export function today(): IsoDate {
  const now = new Date();
  return iso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return iso(new Date(utc(date).getTime() + days * DAY_MS));
}

/** The same day `months` months later, on the month's last day when it is shorter. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const start = utc(date);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return iso(target);
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

export function firstOfYear(year: number): IsoDate {
  return `${String(year).padStart(4, "0")}-01-01`;
}

export function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
}

/** 0 for 1 January. */
export function dayOfYear(date: IsoDate): number {
  return Math.round((utc(date).getTime() - Date.UTC(yearOf(date), 0, 1)) / DAY_MS);
}

export function dateOfDay(year: number, day: number): IsoDate {
  return iso(new Date(Date.UTC(year, 0, 1) + day * DAY_MS));
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / DAY_MS);
}

export interface IsoWeek {
  year: number;
  week: number;
  /** Monday and Sunday. */
  first: IsoDate;
  last: IsoDate;
  /** As the API takes it: "2026-W28". */
  name: string;
}

/** The ISO 8601 week holding `date` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: IsoDate): IsoWeek {
  const weekday = (utc(date).getUTCDay() + 6) % 7; // Monday 0
  const first = addDays(date, -weekday);
  const thursday = addDays(first, 3);
  const year = yearOf(thursday);
  const week = Math.floor(dayOfYear(thursday) / 7) + 1;
  const name = `${year}-W${String(week).padStart(2, "0")}`;
  return { year, week, first, last: addDays(first, 6), name };
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(intlLocale(), { ...options, timeZone: "UTC" });
}

/** "15 July 2024" in the page's language ("full" adds the weekday). */
export function formatDate(date: IsoDate, style: "long" | "full" = "long"): string {
  return dateFormat({ dateStyle: style }).format(utc(date));
}

/** "1 May – 30 September 2024", both days included. */
export function formatRange(from: IsoDate, to: IsoDate): string {
  if (from === to) return formatDate(from);
  return dateFormat({ dateStyle: "long" }).formatRange(utc(from), utc(to));
}

/** The calendar date and the time of day of an instant as seen in `timeZone`. */
export function localDateTime(instant: string, timeZone: string): { date: IsoDate; time: string } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "00";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    time: `${part("hour")}:${part("minute")}`,
  };
}
