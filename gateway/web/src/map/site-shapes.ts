// Sites drawn from `sitesGeoJSON` as Leaflet polygons (SVG paths), styled by their use. An
// update restyles the shapes that stay, so scrubbing the date does not make the map flicker.
import * as L from "leaflet";
import type { SiteShape } from "./data";
import { shapeStyle, type ShapeStyle } from "./uses";

export interface Highlights {
  selected: string | null;
  due: ReadonlySet<string>;
}

function pathOptions(style: ShapeStyle): L.PathOptions {
  return {
    color: style.stroke,
    weight: style.strokeWidth,
    opacity: 1,
    dashArray: style.dash ?? undefined,
    fillColor: style.fill,
    fillOpacity: style.fillOpacity,
  };
}

export class SiteShapes {
  private readonly group = L.featureGroup();
  private readonly shapes = new Map<string, { layer: L.Polygon; site: SiteShape }>();
  private highlights: Highlights = { selected: null, due: new Set() };

  constructor(
    private readonly map: L.Map,
    private readonly onSelect: (id: string) => void,
  ) {}

  show(sites: SiteShape[]): void {
    if (!this.map.hasLayer(this.group)) this.group.addTo(this.map);
    const seen = new Set<string>();
    for (const site of sites) {
      seen.add(site.id);
      const known = this.shapes.get(site.id);
      if (known) {
        known.site = site;
        this.restyle(site.id);
      } else {
        this.add(site);
      }
    }
    for (const [id, { layer }] of this.shapes) {
      if (!seen.has(id)) {
        this.group.removeLayer(layer);
        this.shapes.delete(id);
      }
    }
    this.raiseSelected();
  }

  hide(): void {
    this.group.clearLayers();
    this.shapes.clear();
    this.group.remove();
  }

  setHighlights(highlights: Highlights): void {
    this.highlights = highlights;
    for (const id of this.shapes.keys()) this.restyle(id);
    this.raiseSelected();
  }

  private add(site: SiteShape): void {
    // Sites are (multi)polygons; anything else would become a Leaflet marker, which we draw not.
    if (site.geometry.type !== "Polygon" && site.geometry.type !== "MultiPolygon") return;
    const feature = { type: "Feature" as const, geometry: site.geometry, properties: {} };
    const layer = L.GeoJSON.geometryToLayer(feature, {}) as L.Polygon;
    layer.options.className = "site-shape";
    layer.on("click", () => this.onSelect(site.id));
    this.shapes.set(site.id, { layer, site });
    this.group.addLayer(layer);
    this.restyle(site.id);
  }

  private restyle(id: string): void {
    const { layer, site } = this.shapes.get(id)!;
    const flags = { selected: this.highlights.selected === id, due: this.highlights.due.has(id) };
    layer.setStyle(pathOptions(shapeStyle(site.use, flags)));
    // What the shape stands for, on the element itself (for tests and tools; the words for
    // people are in the list of sites).
    const path = layer.getElement();
    if (path) {
      path.setAttribute("data-site-id", id);
      path.setAttribute("data-use", site.use ?? "");
      path.toggleAttribute("data-selected", flags.selected);
      path.toggleAttribute("data-due", flags.due);
    }
  }

  private raiseSelected(): void {
    const selected = this.highlights.selected && this.shapes.get(this.highlights.selected);
    if (selected) selected.layer.bringToFront();
  }
}
