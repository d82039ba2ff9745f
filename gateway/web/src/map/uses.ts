// How a site's use looks: a colour *and* a fill pattern per use (colour is never the only
// signal), the same on the map, in the legend, the list and the timeline. The patterns live
// once in the page as SVG <pattern>s; shapes refer to them with fill="url(#meent-use-…)".
import { h } from "../dom";
import { tx, type MessageKey } from "../i18n";

export const CORE_USES = [
  "parking",
  "recreation",
  "market",
  "event",
  "closed",
  "works",
  "green",
] as const;
export type CoreUse = (typeof CORE_USES)[number];
/** A core use, "other" for any use the client has no style for, "none" for no scheduled use. */
export type UseStyleKey = CoreUse | "other" | "none";

const SVG = "http://www.w3.org/2000/svg";
const TILE = 8; // pattern cell, in screen pixels

interface UseLook {
  label: MessageKey;
  /** Outline and pattern marks: at least 3:1 against white (WCAG 1.4.11). */
  ink: string;
  /** The pattern's ground. */
  tint: string;
  /** The pattern's marks, drawn in `ink` on `tint` in a TILE × TILE cell. */
  marks: Array<[string, Record<string, string | number>]>;
}

const line = (x1: number, y1: number, x2: number, y2: number, width: number) =>
  ["line", { x1, y1, x2, y2, "stroke-width": width }] as [string, Record<string, number>];
// A diagonal that continues seamlessly across cells needs its two corner pieces too.
const rising = (width: number) => [
  line(0, TILE, TILE, 0, width),
  line(-2, 2, 2, -2, width),
  line(TILE - 2, TILE + 2, TILE + 2, TILE - 2, width),
];
const falling = (width: number) => [
  line(0, 0, TILE, TILE, width),
  line(-2, TILE - 2, 2, TILE + 2, width),
  line(TILE - 2, -2, TILE + 2, 2, width),
];

const LOOKS: Record<Exclude<UseStyleKey, "none">, UseLook> = {
  // Parking: a grid, like marked bays.
  parking: {
    label: "use.parking",
    ink: "#2f5d9a",
    tint: "#dde7f5",
    marks: [line(0, 0.5, TILE, 0.5, 1.5), line(0.5, 0, 0.5, TILE, 1.5)],
  },
  // Recreation: dots.
  recreation: {
    label: "use.recreation",
    ink: "#2e7d32",
    tint: "#dff0df",
    marks: [["circle", { cx: TILE / 2, cy: TILE / 2, r: 1.8 }]],
  },
  // Market: rising diagonal stripes.
  market: { label: "use.market", ink: "#a14e00", tint: "#fde8d2", marks: rising(2) },
  // Event: vertical stripes.
  event: {
    label: "use.event",
    ink: "#7b3fa0",
    tint: "#f0e3f7",
    marks: [["rect", { x: 0, y: 0, width: 2.5, height: TILE }]],
  },
  // Closed: a cross-hatch.
  closed: {
    label: "use.closed",
    ink: "#a4201b",
    tint: "#f9dfde",
    marks: [...rising(1.5), ...falling(1.5)],
  },
  // Works: thick falling stripes, like a barrier.
  works: { label: "use.works", ink: "#6f5400", tint: "#fff0b3", marks: falling(3) },
  // Green space: an even, darker green fill without marks.
  green: { label: "use.green", ink: "#1e6b34", tint: "#9fd0a6", marks: [] },
  // Any other use: a checkerboard.
  other: {
    label: "use.other",
    ink: "#00695c",
    tint: "#d8eeeb",
    marks: [
      ["rect", { x: 0, y: 0, width: TILE / 2, height: TILE / 2 }],
      ["rect", { x: TILE / 2, y: TILE / 2, width: TILE / 2, height: TILE / 2 }],
    ],
  },
};

export const NO_USE_INK = "#5f5f5f"; // 6.4:1 on white
export const SELECTED_INK = "#1b1b1b";

export function styleKey(use: string | null | undefined): UseStyleKey {
  if (!use) return "none";
  return (CORE_USES as readonly string[]).includes(use) ? (use as CoreUse) : "other";
}

export function patternId(key: Exclude<UseStyleKey, "none">): string {
  return `meent-use-${key}`;
}

/** The words for a use: a core use's message, or the name the schedule gives it. */
export function useText(el: HTMLElement, use: string | null | undefined): HTMLElement {
  const key = styleKey(use);
  if (key === "none") return tx(el, "use.none");
  if (key === "other") {
    el.textContent = use!;
    return el;
  }
  return tx(el, LOOKS[key].label);
}

export function useLabel(use: string | null | undefined): HTMLElement {
  return useText(h("span", { class: "use-name" }), use);
}

export interface ShapeStyle {
  stroke: string;
  strokeWidth: number;
  dash: string | null;
  fill: string;
  fillOpacity: number;
}

/** How a site's shape is drawn: by its use, heavier when chosen or when maintenance is due. */
export function shapeStyle(
  use: string | null | undefined,
  { selected = false, due = false } = {},
): ShapeStyle {
  const key = styleKey(use);
  const base: ShapeStyle =
    key === "none"
      ? // Unscheduled: a grey dashed outline over a fill that is invisible but still clickable.
        { stroke: NO_USE_INK, strokeWidth: 2, dash: "5 4", fill: "#ffffff", fillOpacity: 0 }
      : {
          stroke: LOOKS[key].ink,
          strokeWidth: 2,
          dash: null,
          fill: `url(#${patternId(key)})`,
          fillOpacity: 0.85,
        };
  if (due) Object.assign(base, { strokeWidth: 5, dash: "12 5" });
  if (selected) Object.assign(base, { stroke: SELECTED_INK, strokeWidth: due ? 6 : 4 });
  return base;
}

/** Draws `style` onto an SVG shape (the vector tiles' paths; Leaflet draws its own). */
export function paint(shape: SVGElement, style: ShapeStyle): void {
  shape.setAttribute("stroke", style.stroke);
  shape.setAttribute("stroke-width", String(style.strokeWidth));
  if (style.dash) shape.setAttribute("stroke-dasharray", style.dash);
  else shape.removeAttribute("stroke-dasharray");
  shape.setAttribute("fill", style.fill);
  shape.setAttribute("fill-opacity", String(style.fillOpacity));
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  return el;
}

/** The hidden <svg> holding every use's <pattern>; put it in the page once. */
export function patternDefs(): SVGSVGElement {
  const root = svg("svg", { class: "pattern-defs", "aria-hidden": "true", focusable: "false" });
  const defs = svg("defs");
  for (const [key, look] of Object.entries(LOOKS) as [Exclude<UseStyleKey, "none">, UseLook][]) {
    const pattern = svg("pattern", {
      id: patternId(key),
      width: TILE,
      height: TILE,
      patternUnits: "userSpaceOnUse",
    });
    pattern.append(svg("rect", { width: TILE, height: TILE, fill: look.tint }));
    for (const [tag, attributes] of look.marks) {
      const isLine = tag === "line";
      const mark = svg(tag as "line", attributes);
      mark.setAttribute(isLine ? "stroke" : "fill", look.ink);
      if (isLine) mark.setAttribute("stroke-linecap", "square");
      pattern.append(mark);
    }
    defs.append(pattern);
  }
  root.append(defs);
  return root;
}

/** A small picture of a use's look, for the legend, lists and the timeline (decorative:
 * the use is always named next to it). */
export function swatch(
  use: string | null | undefined,
  flags: { selected?: boolean; due?: boolean } = {},
): SVGSVGElement {
  const style = shapeStyle(use, flags);
  const root = svg("svg", {
    class: "swatch",
    width: 28,
    height: 18,
    viewBox: "0 0 28 18",
    "aria-hidden": "true",
    focusable: "false",
  });
  const inset = Math.ceil(style.strokeWidth / 2);
  const rect = svg("rect", {
    x: inset,
    y: inset,
    width: 28 - 2 * inset,
    height: 18 - 2 * inset,
  });
  paint(rect, style);
  root.append(rect);
  return root;
}

/** Every style the map can show, in the legend's order. */
export const LEGEND_KEYS: UseStyleKey[] = [...CORE_USES, "other", "none"];

/** The legend's words for a style. */
export function styleLabel(key: UseStyleKey): MessageKey {
  return key === "none" ? "use.none" : LOOKS[key].label;
}
