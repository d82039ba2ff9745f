// The map page's body: the date control, the Leaflet map, the legend, the chosen site, the
// list of sites in view and a team's week, kept in step with each other and with the address.
//
// Sites come from `sitesGeoJSON` for the map's bbox while that stays small; the map switches to
// the vector tiles when
//   - the zoom is below MIN_GEOJSON_ZOOM (12: a whole city in view), or
//   - an answer holds GEOJSON_LIMIT (2,000) sites, i.e. it may have been cut short; the map
//     then stays on tiles for that area until zoomed in further.
// Both are drawn with the same styles, so the switch shows only in how the list is filled.
import "leaflet/dist/leaflet.css";
import * as L from "leaflet";
import { alertBox, attrMsg, h } from "../dom";
import { failureAlert } from "../graphql";
import { onLanguageChange, t, tx } from "../i18n";
import { baseLayer } from "./config";
import {
  allSitesBounds,
  GEOJSON_LIMIT,
  sitesInBbox,
  type Bbox,
  type SiteDetails,
  type SiteShape,
  type SiteSummary,
} from "./data";
import { dateControl } from "./date-control";
import { formatDate } from "./dates";
import { legend } from "./legend";
import { SiteShapes, type Highlights } from "./site-shapes";
import { siteList, LIST_LIMIT } from "./site-list";
import { sitePanel } from "./site-panel";
import { SiteTiles } from "./site-tiles";
import { MAX_ZOOM, MIN_ZOOM, readState, writeState } from "./state";
import { teamDue } from "./team";
import { patternDefs } from "./uses";

export const MIN_GEOJSON_ZOOM = 12;
const PATH = "/map";
const DEFAULT_VIEW = { lat: 52, lon: 10, zoom: 4 }; // Europe, when there is no site at all
const MOVE_DELAY_MS = 300;
const DATE_DELAY_MS = 150;
// The address follows once things settle: scrubbing must not flood the history API (Chrome
// throttles a page that calls replaceState hundreds of times in a few seconds).
const SAVE_DELAY_MS = 400;

type Status = { kind: "loading" } | { kind: "shapes"; count: number } | { kind: "tiles" };

function bboxOf(bounds: L.LatLngBounds): Bbox {
  const clamp = (value: number, limit: number) => Math.max(-limit, Math.min(limit, value));
  return [
    clamp(bounds.getWest(), 180),
    clamp(bounds.getSouth(), 90),
    clamp(bounds.getEast(), 180),
    clamp(bounds.getNorth(), 90),
  ];
}

export function mountMap(root: HTMLElement): { leave(): void } {
  const state = readState(location.search);
  const highlights: Highlights = { selected: state.site, due: new Set() };
  /** The sites in view (null: too many to list; undefined: not known yet). */
  let sites: SiteSummary[] | null | undefined;
  let status: Status = { kind: "loading" };
  let crowded: { bounds: L.LatLngBounds; zoom: number } | null = null;
  let timer: number | undefined;
  let saveTimer: number | undefined;
  let request: AbortController | null = null;
  let alive = true;
  /** Bring the next site loaded into view: it was chosen off the map (a team's task). */
  let revealNext = false;

  const statusLine = h("p", { class: "map-status", role: "status" });
  const problems = h("div", { class: "map-problems" });
  const mapBox = h("div", {
    id: "map",
    class: "map",
    role: "region",
    "aria-describedby": "map-help",
  });
  attrMsg(mapBox, "aria-label", "map.region");

  const save = () => {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => writeState(PATH, state), SAVE_DELAY_MS);
  };
  const showStatus = () => {
    const date = formatDate(state.date);
    if (status.kind === "loading") tx(statusLine, "map.loading");
    else if (status.kind === "tiles") tx(statusLine, "map.statusTiles", { date });
    else tx(statusLine, "map.status", { date, count: status.count });
  };

  const dates = dateControl(state.date, (date) => {
    state.date = date;
    save();
    panel.setDate(date);
    team.setDate(date);
    schedule(DATE_DELAY_MS);
  });
  const list = siteList((site) => choose(site.id, site.name, true));
  const panel = sitePanel(reveal);
  const team = teamDue({
    teamId: state.team,
    date: state.date,
    onDue(ids) {
      highlights.due = ids;
      paintHighlights();
    },
    onTeam(id) {
      state.team = id;
      save();
    },
    onChooseSite(id, name) {
      revealNext = true;
      choose(id, name, true);
    },
  });

  root.append(
    patternDefs(),
    dates.element,
    h(
      "div",
      { class: "map-layout" },
      h(
        "div",
        { class: "map-layout__main" },
        statusLine,
        problems,
        mapBox,
        h("p", { id: "map-help", class: "field-help", msg: "map.help" }),
        legend(),
      ),
      h("div", { class: "map-layout__side" }, panel.element, list.element, team.element),
    ),
  );

  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
  const map = L.map(mapBox, {
    zoomControl: false,
    minZoom: MIN_ZOOM,
    maxZoom: MAX_ZOOM,
    zoomAnimation: !reducedMotion,
    fadeAnimation: !reducedMotion,
    markerZoomAnimation: !reducedMotion,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  const base = baseLayer();
  if (base) L.tileLayer(base.url, { attribution: base.attribution, maxZoom: MAX_ZOOM }).addTo(map);
  let zoomControl: L.Control.Zoom | null = null;
  const addZoomControl = () => {
    zoomControl?.remove();
    zoomControl = L.control.zoom({ zoomInTitle: t("map.zoomIn"), zoomOutTitle: t("map.zoomOut") });
    zoomControl.addTo(map);
  };
  addZoomControl();

  const shapes = new SiteShapes(map, (id) => chooseOnMap(id));
  let tiles: SiteTiles | null = null;

  function paintHighlights(): void {
    shapes.setHighlights(highlights);
    tiles?.setHighlights(highlights);
    list.show(sites, highlights);
  }

  function choose(id: string, name: string | null, focus: boolean): void {
    highlights.selected = id;
    state.site = id;
    save();
    paintHighlights();
    panel.select(id, name, state.date, { focus });
  }

  function chooseOnMap(id: string): void {
    const known = (tiles ? tiles.sites() : sites ?? []).find((s) => s.id === id);
    choose(id, known?.name ?? null, true);
  }

  /** The chosen site's details arrived: bring it into view if asked to and it is not. */
  function reveal(site: SiteDetails): void {
    if (!revealNext || site.id !== state.site) return;
    revealNext = false;
    const bounds = L.geoJSON(site.geometry).getBounds();
    if (bounds.isValid() && !map.getBounds().intersects(bounds)) {
      map.fitBounds(bounds, { maxZoom: 17 });
    }
  }

  function showTiles(): void {
    shapes.hide();
    if (!tiles) {
      tiles = new SiteTiles(state.date, chooseOnMap);
      tiles.on("tileerror", () => {
        if (!problems.childElementCount) problems.append(alertBox("map.tilesFailed"));
      });
      tiles.on("load", () => {
        const found = tiles?.sites() ?? [];
        sites = found.length > LIST_LIMIT ? null : found;
        list.show(sites, highlights);
      });
      tiles.addTo(map);
    } else {
      tiles.setDate(state.date);
    }
    tiles.setHighlights(highlights);
    status = { kind: "tiles" };
    showStatus();
  }

  function showShapes(found: SiteShape[]): void {
    tiles?.remove();
    tiles = null;
    shapes.show(found);
    sites = found;
    list.show(sites, highlights);
    status = { kind: "shapes", count: found.length };
    showStatus();
  }

  async function refresh(): Promise<void> {
    request?.abort();
    const controller = (request = new AbortController());
    problems.replaceChildren();
    const view = map.getBounds();
    const zoom = map.getZoom();
    if (crowded && (zoom > crowded.zoom || !crowded.bounds.intersects(view))) crowded = null;
    if (zoom < MIN_GEOJSON_ZOOM || crowded) return showTiles();
    status = { kind: "loading" };
    showStatus();
    try {
      const found = await sitesInBbox(bboxOf(view), state.date, controller.signal);
      if (found.length >= GEOJSON_LIMIT) {
        crowded = { bounds: view, zoom };
        return showTiles();
      }
      showShapes(found);
    } catch (failure) {
      if (controller.signal.aborted) return;
      problems.replaceChildren(failureAlert(failure));
      statusLine.replaceChildren();
    } finally {
      if (request === controller) request = null;
    }
  }

  /** Fetches after `delay` ms of calm: scrubbing and panning ask once they settle. */
  function schedule(delay: number): void {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), delay);
  }

  map.on("moveend", () => {
    const centre = map.getCenter();
    state.view = { lat: centre.lat, lon: centre.lng, zoom: map.getZoom() };
    save();
    schedule(MOVE_DELAY_MS);
  });

  const stopListening = onLanguageChange(() => {
    addZoomControl();
    dates.retranslate();
    panel.retranslate();
    team.retranslate();
    list.show(sites, highlights);
    showStatus();
  });

  showStatus();
  list.show(sites, highlights);
  if (state.site) panel.select(state.site, null, state.date);
  if (state.view) {
    map.setView([state.view.lat, state.view.lon], state.view.zoom);
  } else {
    void allSitesBounds().then((bbox) => {
      if (!alive) return;
      if (bbox) map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { maxZoom: 17 });
      else map.setView([DEFAULT_VIEW.lat, DEFAULT_VIEW.lon], DEFAULT_VIEW.zoom);
    });
  }

  return {
    leave() {
      alive = false;
      window.clearTimeout(timer);
      window.clearTimeout(saveTimer);
      request?.abort();
      panel.stop();
      team.stop();
      stopListening();
      map.remove();
    },
  };
}
