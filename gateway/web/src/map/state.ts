// The map's state in its address (`/map?lat=&lon=&zoom=&date=&site=&team=`), so a view can be
// bookmarked, shared and reloaded. Written with replaceState: moving the map or the date does
// not pile up history entries.
import { isIsoDate, today, type IsoDate } from "./dates";

export interface MapView {
  lat: number;
  lon: number;
  zoom: number;
}

export interface MapState {
  /** null: not given, fit the map to all sites. */
  view: MapView | null;
  date: IsoDate;
  site: string | null;
  team: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MIN_ZOOM = 2;
export const MAX_ZOOM = 19;

function number(params: URLSearchParams, name: string, min: number, max: number): number | null {
  const raw = params.get(name);
  const value = raw === null || raw.trim() === "" ? NaN : Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : null;
}

function uuid(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

/** The state in `search`; whatever is missing or malformed falls back to a default. */
export function readState(search: string): MapState {
  const params = new URLSearchParams(search);
  const lat = number(params, "lat", -85, 85);
  const lon = number(params, "lon", -180, 180);
  const zoom = number(params, "zoom", MIN_ZOOM, MAX_ZOOM);
  const date = params.get("date");
  return {
    view: lat !== null && lon !== null ? { lat, lon, zoom: Math.round(zoom ?? 16) } : null,
    date: isIsoDate(date) ? date : today(),
    site: uuid(params, "site"),
    team: uuid(params, "team"),
  };
}

export function writeState(path: string, state: MapState): void {
  // Only while the map is the page shown: a late write must not rewrite another page's address.
  if (location.pathname !== path) return;
  const params = new URLSearchParams();
  if (state.view) {
    params.set("lat", state.view.lat.toFixed(5));
    params.set("lon", state.view.lon.toFixed(5));
    params.set("zoom", String(state.view.zoom));
  }
  params.set("date", state.date);
  if (state.site) params.set("site", state.site);
  if (state.team) params.set("team", state.team);
  const url = `${path}?${params}`;
  if (url !== location.pathname + location.search) history.replaceState(history.state, "", url);
}
