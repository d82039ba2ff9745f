// The legend: every use the map can show, named in words beside its swatch, and the two
// outlines that mark the chosen site and sites with maintenance due.
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import { LEGEND_KEYS, styleLabel, swatch } from "./uses";

function entry(picture: SVGSVGElement, msg: MessageKey): HTMLElement {
  return h("li", {}, picture, h("span", { msg }));
}

export function legend(): HTMLElement {
  return h(
    "section",
    { class: "map-legend", "aria-labelledby": "map-legend-heading" },
    h("h2", { id: "map-legend-heading", msg: "map.legendHeading" }),
    h(
      "ul",
      { class: "legend-list" },
      ...LEGEND_KEYS.map((key) => entry(swatch(key === "none" ? null : key), styleLabel(key))),
      entry(swatch("parking", { selected: true }), "map.legendSelected"),
      entry(swatch("parking", { due: true }), "map.legendDue"),
    ),
  );
}
