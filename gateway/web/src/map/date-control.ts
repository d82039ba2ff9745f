// The date the map shows: a date field, and a slider over the days of that date's year to
// scrub through it ("watch Coal Square turn into a park on 1 May"). Arrow keys move a day,
// Page Up / Page Down a month, Home / End to the year's ends; the slider says its date in words
// (aria-valuetext) in the page's language.
import { h } from "../dom";
import { tx } from "../i18n";
import {
  addMonths,
  dateOfDay,
  dayOfYear,
  daysInYear,
  formatDate,
  isIsoDate,
  today,
  yearOf,
  type IsoDate,
} from "./dates";

export interface DateControl {
  element: HTMLElement;
  /** Shows `date` (without calling back). */
  set(date: IsoDate): void;
  /** Re-says the date in the current language. */
  retranslate(): void;
}

export function dateControl(initial: IsoDate, onChange: (date: IsoDate) => void): DateControl {
  let date = initial;
  const input = h("input", { type: "date", id: "map-date", name: "date", required: true });
  const slider = h("input", {
    type: "range",
    id: "map-day",
    name: "day",
    min: 0,
    step: 1,
    "aria-describedby": "map-day-help",
  });
  const sliderLabel = h("label", { for: "map-day" });
  const shown = h("p", { class: "map-date__shown", "aria-hidden": "true" });

  const show = () => {
    const year = yearOf(date);
    input.value = date;
    slider.max = String(daysInYear(year) - 1);
    slider.value = String(dayOfYear(date));
    const words = formatDate(date, "full");
    slider.setAttribute("aria-valuetext", words);
    shown.textContent = words;
    tx(sliderLabel, "map.sliderLabel", { year });
  };

  const choose = (next: IsoDate) => {
    if (next === date) return;
    date = next;
    show();
    onChange(date);
  };

  input.addEventListener("input", () => {
    if (isIsoDate(input.value)) choose(input.value);
  });
  // A cleared or half-typed field goes back to the date shown when the field is left.
  input.addEventListener("blur", () => {
    if (input.value !== date) input.value = date;
  });
  slider.addEventListener("input", () => choose(dateOfDay(yearOf(date), Number(slider.value))));
  slider.addEventListener("keydown", (event) => {
    if (event.key !== "PageUp" && event.key !== "PageDown") return;
    // A month per key press, kept within the slider's year.
    event.preventDefault();
    const year = yearOf(date);
    const next = addMonths(date, event.key === "PageUp" ? 1 : -1);
    const last = dateOfDay(year, daysInYear(year) - 1);
    choose(yearOf(next) < year ? `${year}-01-01` : yearOf(next) > year ? last : next);
  });

  const element = h(
    "fieldset",
    { class: "fieldset map-date" },
    h("legend", { msg: "map.dateLegend" }),
    h(
      "div",
      { class: "map-date__row" },
      h(
        "div",
        { class: "field map-date__field" },
        h("label", { for: "map-date", msg: "map.dateLabel" }),
        input,
      ),
      h("button", {
        type: "button",
        class: "button button--secondary",
        msg: "map.today",
        onclick: () => choose(today()),
      }),
    ),
    h(
      "div",
      { class: "field map-date__slider" },
      sliderLabel,
      h("p", { id: "map-day-help", class: "field-help", msg: "map.sliderHelp" }),
      slider,
      shown,
    ),
  );
  show();
  return {
    element,
    set(next) {
      date = next;
      show();
    },
    retranslate: show,
  };
}
