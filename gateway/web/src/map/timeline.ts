// A site's uses over the chosen date's year: a bar (decorative, for the eye) and the same
// stretches as a list in words, the one holding the chosen date marked. Segments come from the
// API as instants; the days they cover are read in the site's own time zone.
import { h } from "../dom";
import type { UseSegment } from "./data";
import {
  addDays,
  dayOfYear,
  daysBetween,
  daysInYear,
  firstOfYear,
  formatRange,
  localDateTime,
  yearOf,
  type IsoDate,
} from "./dates";
import { paint, shapeStyle, swatch, useLabel } from "./uses";

const SVG = "http://www.w3.org/2000/svg";
// The API's rule for "the use on a date": the winner at the site's local noon.
const NOON = "12:00";

interface Stretch {
  first: IsoDate;
  last: IsoDate;
  use: string | null;
}

/** The use at local noon of `date` in `timeZone`, null when nothing is scheduled. */
export function useOn(segments: UseSegment[], timeZone: string, date: IsoDate): string | null {
  const noon = `${date}T${NOON}`;
  for (const segment of segments) {
    const start = localDateTime(segment.start, timeZone);
    const end = localDateTime(segment.end, timeZone);
    if (`${start.date}T${start.time}` <= noon && noon < `${end.date}T${end.time}`) {
      return segment.use;
    }
  }
  return null;
}

/** The year's days as stretches of one use each, gaps (no use) included. */
export function stretches(segments: UseSegment[], timeZone: string, year: number): Stretch[] {
  const yearFirst = firstOfYear(year);
  const yearLast = addDays(firstOfYear(year + 1), -1);
  const result: Stretch[] = [];
  for (const segment of segments) {
    const start = localDateTime(segment.start, timeZone);
    const end = localDateTime(segment.end, timeZone);
    // An end at midnight ends the day before; any later time still covers its day.
    const first = start.date < yearFirst ? yearFirst : start.date;
    const endDay = end.time === "00:00" ? addDays(end.date, -1) : end.date;
    const last = endDay > yearLast ? yearLast : endDay;
    if (last < first) continue;
    const next = result.length ? addDays(result[result.length - 1].last, 1) : yearFirst;
    if (first > next) result.push({ first: next, last: addDays(first, -1), use: null });
    const previous = result[result.length - 1];
    if (previous && previous.use === segment.use && first <= addDays(previous.last, 1)) {
      if (last > previous.last) previous.last = last;
    } else {
      // Part-day uses (time-of-day windows) can share a day with the stretch before.
      result.push({ first, last, use: segment.use });
    }
  }
  const tail = result.length ? addDays(result[result.length - 1].last, 1) : yearFirst;
  if (tail <= yearLast) result.push({ first: tail, last: yearLast, use: null });
  return result;
}

function bar(list: Stretch[], year: number, date: IsoDate): SVGSVGElement {
  const days = daysInYear(year);
  const percent = (day: number) => `${((day / days) * 100).toFixed(3)}%`;
  const root = document.createElementNS(SVG, "svg");
  root.setAttribute("class", "timeline-bar");
  root.setAttribute("aria-hidden", "true");
  root.setAttribute("focusable", "false");
  for (const stretch of list) {
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", percent(dayOfYear(stretch.first)));
    rect.setAttribute("y", "4");
    rect.setAttribute("width", percent(daysBetween(stretch.first, stretch.last) + 1));
    rect.setAttribute("height", "24");
    paint(rect, { ...shapeStyle(stretch.use), strokeWidth: 1 });
    root.append(rect);
  }
  const marker = document.createElementNS(SVG, "rect");
  marker.setAttribute("class", "timeline-bar__date");
  marker.setAttribute("x", percent(dayOfYear(date) + 0.5));
  marker.setAttribute("y", "0");
  marker.setAttribute("width", "3");
  marker.setAttribute("height", "32");
  root.append(marker);
  return root;
}

export function timeline(segments: UseSegment[], timeZone: string, date: IsoDate): HTMLElement {
  const year = yearOf(date);
  const list = stretches(segments, timeZone, year);
  if (list.every((s) => s.use === null)) {
    return h("p", { msg: "map.timelineEmpty", vars: { year } });
  }
  const items = list.map((stretch) => {
    const chosen = stretch.first <= date && date <= stretch.last;
    return h(
      "li",
      { "aria-current": chosen ? "date" : undefined, class: chosen ? "is-chosen" : undefined },
      swatch(stretch.use),
      h("span", {}, formatRange(stretch.first, stretch.last)),
      ": ",
      useLabel(stretch.use),
      chosen ? " " : null,
      chosen ? h("span", { class: "timeline__chosen", msg: "map.timelineChosen" }) : null,
    );
  });
  return h("div", { class: "timeline" }, bar(list, year, date), h("ol", {}, ...items));
}
