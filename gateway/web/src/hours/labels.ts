// The message keys of the hours' enumerations, how durations and money are written, and the
// names of projects that entries name by id.
import { h } from "../dom";
import { intlLocale, onLanguageChange, type MessageKey } from "../i18n";
import { load } from "../spaces/ui";
import { projectNamesQuery, type HourActivity, type HourEntry, type HourStatus, type ProjectNamesData } from "./queries";

export const ACTIVITY_LABELS: Record<HourActivity, MessageKey> = {
  PLANNING: "hours.activity.planning",
  CONSULTATION: "hours.activity.consultation",
  GARDENING: "hours.activity.gardening",
  MAINTENANCE: "hours.activity.maintenance",
  OUTREACH: "hours.activity.outreach",
  ADMINISTRATION: "hours.activity.administration",
  OTHER: "hours.activity.other",
};
export const STATUS_LABELS: Record<HourStatus, MessageKey> = {
  SUBMITTED: "hours.status.submitted",
  APPROVED: "hours.status.approved",
  REJECTED: "hours.status.rejected",
  WITHDRAWN: "hours.status.withdrawn",
};

/** How an entry came (nothing for one logged by its person), e.g. "Correction". */
export function sourceNote(entry: HourEntry): (Node | string)[] {
  if (entry.source === "CORRECTION") return [" · ", h("span", { msg: "hours.source.correction" })];
  if (entry.source === "IMPORTED") return [" · ", h("span", { msg: "hours.source.imported" })];
  return [];
}

/** Minutes as hours, to two decimals at most (90 → 1.5): the count of a plural message. */
export const hoursOf = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** "2 hours" in the page's language (Polish: 2 godziny, 5 godzin, 1,5 godziny). */
export function duration(minutes: number): HTMLElement {
  return h("span", { msg: "hours.count", vars: { count: hoursOf(minutes) } });
}

/** A decimal string as money in the page's locale, re-formatted on a language switch. The
 * string goes to Intl as it is (an exact decimal), never through a float. */
export function money(value: string, currency: string): HTMLElement {
  const el = h("span", { class: "js-money", "data-value": value, "data-currency": currency });
  formatMoney(el);
  return el;
}

function formatMoney(el: HTMLElement): void {
  const { value = "0", currency = "EUR" } = el.dataset;
  try {
    const format = new Intl.NumberFormat(intlLocale(), { style: "currency", currency });
    el.textContent = format.format(value as unknown as number);
  } catch {
    el.textContent = `${value} ${currency}`; // an unknown currency code
  }
}

onLanguageChange(() => document.querySelectorAll<HTMLElement>(".js-money").forEach(formatMoney));

/** A month key ("2026-05") as "May 2026" in the page's language (a <time>, re-formatted). */
export function monthName(key: string, style: "long" | "short" = "long"): HTMLTimeElement {
  const el = h("time", { datetime: key, class: "js-month", "data-month": style });
  formatMonth(el);
  return el;
}

function formatMonth(el: HTMLTimeElement): void {
  const date = new Date(`${el.dateTime}-15T12:00:00Z`);
  const month = el.dataset.month === "short" ? "short" : "long";
  el.textContent = Number.isNaN(date.getTime())
    ? el.dateTime
    : new Intl.DateTimeFormat(intlLocale(), { month, year: "numeric", timeZone: "UTC" }).format(date);
}

onLanguageChange(() => document.querySelectorAll<HTMLTimeElement>("time.js-month").forEach(formatMonth));

export const hoursPath = (slugOrId: string) => `/projects/${encodeURIComponent(slugOrId)}/hours`;

export interface ProjectName {
  slug: string;
  name: string;
}
const NAMES_AT_ONCE = 20;

/** The names of the projects `ids` name (the first 20 distinct ones; others stay unnamed). */
export async function projectNames(ids: string[]): Promise<Map<string, ProjectName>> {
  const distinct = [...new Set(ids)].slice(0, NAMES_AT_ONCE);
  const names = new Map<string, ProjectName>();
  if (!distinct.length) return names;
  const variables = Object.fromEntries(distinct.map((id, i) => [`p${i}`, id]));
  const data = await load<ProjectNamesData>(projectNamesQuery(distinct.length), variables);
  for (const project of Object.values(data)) {
    if (project) names.set(project.id, { slug: project.slug, name: project.name });
  }
  return names;
}

/** A project's name linking to its hours, or "a project" when it could not be named. */
export function projectLink(names: Map<string, ProjectName>, id: string): HTMLElement {
  const known = names.get(id);
  return known
    ? h("a", { href: hoursPath(known.slug) }, known.name)
    : h("span", { msg: "hours.aProject" });
}
