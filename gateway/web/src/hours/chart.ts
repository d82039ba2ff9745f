// A project's approved hours by month: inline SVG bars, each labelled with its month and its
// hours (readable without colour and without hovering), and the same figures in a <table>
// beside it — the table is what assistive technology reads; the chart is one image to it.
import { h } from "../dom";
import { intlLocale, onLanguageChange, t } from "../i18n";
import { duration, hoursOf, money, monthName } from "./labels";
import type { HoursGroup, HoursSummary } from "./queries";

const SVG = "http://www.w3.org/2000/svg";
/** Months in the table at most: a project's last ten years; the chart shows the last two. */
export const MAX_MONTHS = 120;
const MAX_BARS = 24;
const BAR = 36;
const GAP = 12;
const HEIGHT = 200;
const LABEL = 40; // room under the bars for the month, over them for the figure

function svg(tag: string, attributes: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

/** "2026-05" → the next month's key. */
function nextMonth(key: string): string {
  const [year, month] = key.split("-").map(Number);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
}

/** The groups from the first month to the last, months without hours as zero (at most
 * MAX_MONTHS, the latest kept), so the bars read as a time line. */
export function everyMonth(groups: HoursGroup[]): HoursGroup[] {
  const byKey = new Map(groups.filter((g) => g.key).map((g) => [g.key!.slice(0, 7), g]));
  const keys = [...byKey.keys()].sort();
  if (!keys.length) return [];
  const months: HoursGroup[] = [];
  for (let key = keys[0]; key <= keys[keys.length - 1]; key = nextMonth(key)) {
    months.push(byKey.get(key) ?? { key, minutes: 0, entries: 0, value: "0.00" });
  }
  return months.slice(-MAX_MONTHS);
}

const number = (n: number) => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 2 }).format(n);

function bars(months: HoursGroup[]): SVGElement {
  const top = Math.max(1, ...months.map((m) => m.minutes));
  const width = months.length * (BAR + GAP) + GAP;
  // Drawn at its own size (readable labels on a phone too); a narrow screen scrolls it.
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${HEIGHT + 2 * LABEL}`,
    width,
    height: HEIGHT + 2 * LABEL,
    preserveAspectRatio: "xMinYMin meet",
    class: "hours-chart__bars",
    "aria-hidden": "true",
  });
  months.forEach((m, i) => {
    const tall = Math.max(m.minutes > 0 ? 2 : 0, Math.round((Math.max(0, m.minutes) / top) * HEIGHT));
    const x = GAP + i * (BAR + GAP);
    const y = LABEL + HEIGHT - tall;
    const figure = svg("text", { x: x + BAR / 2, y: y - 6, "text-anchor": "middle", class: "js-hours-figure", "data-hours": hoursOf(m.minutes) }, number(hoursOf(m.minutes)));
    const month = new Date(`${m.key}-15T12:00:00Z`);
    const label = svg("text", { x: x + BAR / 2, y: LABEL + HEIGHT + 18, "text-anchor": "middle", class: "js-month-label", "data-month": m.key! }, shortMonth(month));
    chart.append(svg("rect", { x, y, width: BAR, height: tall, class: "hours-chart__bar" }), figure, label);
  });
  chart.append(svg("line", { x1: 0, x2: width, y1: LABEL + HEIGHT, y2: LABEL + HEIGHT, class: "hours-chart__axis" }));
  return chart;
}

function shortMonth(date: Date): string {
  return new Intl.DateTimeFormat(intlLocale(), { month: "short", timeZone: "UTC" }).format(date);
}

onLanguageChange(() => {
  document.querySelectorAll<SVGTextElement>("text.js-month-label").forEach((el) => {
    el.textContent = shortMonth(new Date(`${el.dataset.month}-15T12:00:00Z`));
  });
  document.querySelectorAll<SVGTextElement>("text.js-hours-figure").forEach((el) => {
    el.textContent = number(Number(el.dataset.hours));
  });
});

function table(months: HoursGroup[], summary: HoursSummary): HTMLElement {
  const th = (msg: Parameters<typeof t>[0]) => h("th", { scope: "col", msg });
  return h("table", { class: "status-table hours-chart__table" },
    h("caption", { msg: "hours.byMonthCaption" }),
    h("thead", {}, h("tr", {}, th("hours.colMonth"), th("hours.colHours"), th("hours.colEntries"), th("hours.colValue"))),
    h("tbody", {}, ...months.map((m) =>
      h("tr", {},
        h("th", { scope: "row" }, monthName(m.key!)),
        h("td", {}, duration(m.minutes)),
        h("td", {}, number(m.entries)),
        h("td", {}, money(m.value, summary.currency))))));
}

/** The chart and the table side by side (stacked on a phone). */
export function hoursByMonth(summary: HoursSummary): HTMLElement {
  const months = everyMonth(summary.groups);
  if (!months.length) return h("p", { msg: "hours.noneYet" });
  return h("div", { class: "hours-chart" },
    // Focusable, so that a keyboard scrolls it when it is wider than the screen.
    h("figure", { class: "hours-chart__figure", tabindex: "0" }, bars(months.slice(-MAX_BARS)), h("figcaption", { msg: "hours.chartCaption" })),
    table(months, summary));
}
