// Sites as Mapbox vector tiles (`/tiles/sites/{z}/{x}/{y}.mvt?on=DATE`, layer `sites`), for views
// holding more sites than one GeoJSON answer should carry. A small Leaflet GridLayer: each tile
// is fetched (and cancelled when it leaves the view), decoded with @mapbox/vector-tile and drawn
// as SVG paths with the same use styles as the GeoJSON shapes.
import { VectorTile } from "@mapbox/vector-tile";
import * as L from "leaflet";
import Pbf from "pbf";
import type { SiteSummary } from "./data";
import type { IsoDate } from "./dates";
import type { Highlights } from "./site-shapes";
import { paint, shapeStyle } from "./uses";

const SVG = "http://www.w3.org/2000/svg";
const TILE_SIZE = 256;
const LAYER = "sites";

function tileKey(coords: L.Coords): string {
  return `${coords.z}/${coords.x}/${coords.y}`;
}

/** The SVG path data of a polygon's rings, from tile coordinates to pixels. */
function pathData(rings: Array<Array<{ x: number; y: number }>>, scale: number): string {
  return rings
    .map(
      (ring) =>
        "M" + ring.map((p) => `${(p.x * scale).toFixed(1)} ${(p.y * scale).toFixed(1)}`).join("L") +
        "Z",
    )
    .join("");
}

export class SiteTiles extends L.GridLayer {
  private date: IsoDate;
  private highlights: Highlights = { selected: null, due: new Set() };
  private readonly requests = new Map<string, AbortController>();
  /** The sites of each tile drawn, for the list of sites in view. */
  private readonly sitesByTile = new Map<string, SiteSummary[]>();

  constructor(
    date: IsoDate,
    private readonly onSelect: (id: string) => void,
  ) {
    // Above the base layer (tilePane), with the other shapes.
    super({ tileSize: TILE_SIZE, pane: "overlayPane", className: "site-tiles" });
    this.date = date;
    this.on("tileunload", (event: L.TileEvent) => {
      const key = tileKey(event.coords);
      this.requests.get(key)?.abort();
      this.requests.delete(key);
      this.sitesByTile.delete(key);
    });
  }

  setDate(date: IsoDate): void {
    if (date === this.date) return;
    this.date = date;
    this.redraw();
  }

  setHighlights(highlights: Highlights): void {
    this.highlights = highlights;
    this.getContainer()
      ?.querySelectorAll<SVGPathElement>("path[data-site-id]")
      .forEach((path) => this.style(path));
  }

  /** Sites on the tiles drawn now, each once (a site crossing tiles is on several). */
  sites(): SiteSummary[] {
    const unique = new Map<string, SiteSummary>();
    for (const list of this.sitesByTile.values()) {
      for (const site of list) unique.set(site.id, site);
    }
    return [...unique.values()];
  }

  protected createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
    const tile = document.createElement("div");
    const key = tileKey(coords);
    const controller = new AbortController();
    this.requests.get(key)?.abort();
    this.requests.set(key, controller);
    const url = `/tiles/sites/${coords.z}/${coords.x}/${coords.y}.mvt?on=${this.date}`;
    fetch(url, { signal: controller.signal })
      .then(async (response) => {
        if (response.status === 204) return null; // no site on this tile
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return new Uint8Array(await response.arrayBuffer());
      })
      .then((body) => {
        if (body) this.draw(tile, key, body);
        done(undefined, tile);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) done(error as Error, tile);
      })
      .finally(() => {
        if (this.requests.get(key) === controller) this.requests.delete(key);
      });
    return tile;
  }

  private draw(tile: HTMLElement, key: string, body: Uint8Array): void {
    const layer = new VectorTile(new Pbf(body)).layers[LAYER];
    if (!layer) return;
    const root = document.createElementNS(SVG, "svg");
    root.setAttribute("width", String(TILE_SIZE));
    root.setAttribute("height", String(TILE_SIZE));
    root.setAttribute("aria-hidden", "true");
    const scale = TILE_SIZE / layer.extent;
    const sites: SiteSummary[] = [];
    for (let i = 0; i < layer.length; i++) {
      const feature = layer.feature(i);
      if (feature.type !== 3) continue; // polygons only
      const { id, name, kind, use } = feature.properties;
      const site: SiteSummary = {
        id: String(id),
        name: String(name ?? ""),
        kind: String(kind ?? ""),
        use: use === undefined || use === null ? null : String(use),
      };
      sites.push(site);
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", pathData(feature.loadGeometry(), scale));
      path.setAttribute("fill-rule", "evenodd");
      path.setAttribute("class", "site-shape leaflet-interactive");
      path.setAttribute("data-site-id", site.id);
      path.setAttribute("data-use", site.use ?? "");
      this.style(path);
      root.append(path);
    }
    root.addEventListener("click", (event) => {
      const path = (event.target as Element).closest("[data-site-id]");
      // A click at the end of a drag is the drag's, not a choice.
      if (path && !this.dragged()) {
        L.DomEvent.stopPropagation(event);
        this.onSelect(path.getAttribute("data-site-id")!);
      }
    });
    this.sitesByTile.set(key, sites);
    tile.append(root);
  }

  /** Whether the map has just been dragged (Leaflet's Drag handler knows; its typing does not). */
  private dragged(): boolean {
    const dragging = this._map?.dragging as (L.Handler & { moved?(): boolean }) | undefined;
    return dragging?.moved?.() ?? false;
  }

  private style(path: SVGPathElement): void {
    const id = path.getAttribute("data-site-id")!;
    const flags = { selected: this.highlights.selected === id, due: this.highlights.due.has(id) };
    paint(path, shapeStyle(path.getAttribute("data-use") || null, flags));
    path.toggleAttribute("data-selected", flags.selected);
    path.toggleAttribute("data-due", flags.due);
  }
}
