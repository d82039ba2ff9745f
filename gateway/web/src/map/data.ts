// What the map reads from the public GraphQL API: sites in a bbox with their use on a date,
// one site's details, teams and what a team has due in a week.
import type { Geometry } from "geojson";
import { graphql } from "../graphql";
import type { IsoDate } from "./dates";

/** A site as the map draws and lists it. */
export interface SiteSummary {
  id: string;
  name: string;
  kind: string;
  use: string | null;
}

export interface SiteShape extends SiteSummary {
  geometry: Geometry;
}

export type Bbox = [number, number, number, number];

/** Sites the map asks for at most; an answer this long may be cut short, so the map switches
 * to vector tiles (see view.ts). */
export const GEOJSON_LIMIT = 2000;

export class QueryFailed extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("; "));
  }
}

async function query<T>(text: string, variables: Record<string, unknown>, signal?: AbortSignal) {
  const { data, errors } = await graphql<T>(text, variables, { signal });
  if (!data) throw new QueryFailed(errors);
  return { data, errors };
}

interface FeatureCollection {
  features: Array<{
    id: string;
    geometry: Geometry;
    properties: { name: string; kind: string; use?: string | null };
  }>;
}

export async function sitesInBbox(
  bbox: Bbox,
  date: IsoDate,
  signal?: AbortSignal,
): Promise<SiteShape[]> {
  const { data } = await query<{ sitesGeoJSON: FeatureCollection }>(
    "query MapSites($bbox: [Float!]!, $date: Date, $limit: Int!) " +
      "{ sitesGeoJSON(bbox: $bbox, date: $date, limit: $limit) }",
    { bbox, date, limit: GEOJSON_LIMIT },
    signal,
  );
  return data.sitesGeoJSON.features.map((f) => ({
    id: String(f.id),
    name: f.properties.name,
    kind: f.properties.kind,
    use: f.properties.use ?? null,
    geometry: f.geometry,
  }));
}

export interface UseSegment {
  start: string;
  end: string;
  use: string;
}

export interface Steward {
  projectName: string | null;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
}

export interface Task {
  taskId?: string;
  siteId?: string;
  siteName?: string;
  title: string;
  dueOn: IsoDate;
  done: boolean;
  overdue: boolean;
  heavy: boolean;
  clashesWithUse: string | null;
}

export interface SiteDetails {
  id: string;
  name: string;
  kind: string;
  timezone: string;
  areaM2: number;
  calendarUrl: string;
  geometry: Geometry;
  timeline: UseSegment[];
  stewards: Steward[];
  tasks: Task[];
}

const SITE = `query MapSite(
  $id: UUID!, $from: Date!, $to: Date!, $tasksFrom: Date!, $tasksTo: Date!
) {
  site(id: $id) {
    id name kind timezone areaM2 calendarUrl geometry
    timeline(from: $from, to: $to) { start end use }
    stewards { projectName startsOn endsOn }
    tasks(from: $tasksFrom, to: $tasksTo) { title dueOn done overdue heavy clashesWithUse }
  }
}`;

/** A site with its uses between `from` and `to` (exclusive) and its tasks in the other range;
 * null: there is no such site. */
export async function siteDetails(
  id: string,
  range: { from: IsoDate; to: IsoDate; tasksFrom: IsoDate; tasksTo: IsoDate },
  signal?: AbortSignal,
): Promise<{ site: SiteDetails | null; errors: string[] }> {
  const { data, errors } = await query<{ site: SiteDetails | null }>(
    SITE,
    { id, ...range },
    signal,
  );
  return { site: data.site, errors };
}

export interface Team {
  id: string;
  name: string;
  calendarUrl: string;
}

export async function teams(signal?: AbortSignal): Promise<Team[]> {
  const { data } = await query<{ teams: Team[] }>(
    "query MapTeams { teams { id name calendarUrl } }",
    {},
    signal,
  );
  return data.teams;
}

export async function dueInWeek(teamId: string, week: string, signal?: AbortSignal) {
  const { data } = await query<{ maintenanceTasks: Required<Task>[] }>(
    `query MapTeamWeek($team: UUID!, $week: String!) {
      maintenanceTasks(teamId: $team, week: $week) {
        taskId siteId siteName title dueOn done overdue heavy clashesWithUse
      }
    }`,
    { team: teamId, week },
    signal,
  );
  return data.maintenanceTasks;
}

/** West, south, east, north of all sites, from the tiles' TileJSON; null when unknown. */
export async function allSitesBounds(signal?: AbortSignal): Promise<Bbox | null> {
  try {
    const response = await fetch("/tiles/sites.json", { signal });
    if (!response.ok) return null;
    const bounds = ((await response.json()) as { bounds?: unknown }).bounds;
    const valid =
      Array.isArray(bounds) && bounds.length === 4 && bounds.every(Number.isFinite);
    return valid ? (bounds as Bbox) : null;
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}
