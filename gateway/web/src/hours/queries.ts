// Every GraphQL document the hours pages use, in one module: the names follow the gateway's
// schema (gateway/schema.graphql), reconciled here and only here.
import type { Refusal } from "../spaces/queries";

const REFUSALS = `
  ... on UserError { message code }
  ... on InvalidInput { fields { field message } }`;

export type HourActivity =
  | "PLANNING"
  | "CONSULTATION"
  | "GARDENING"
  | "MAINTENANCE"
  | "OUTREACH"
  | "ADMINISTRATION"
  | "OTHER";
export const ACTIVITIES: HourActivity[] = [
  "PLANNING",
  "CONSULTATION",
  "GARDENING",
  "MAINTENANCE",
  "OUTREACH",
  "ADMINISTRATION",
  "OTHER",
];
export type HourStatus = "SUBMITTED" | "APPROVED" | "REJECTED" | "WITHDRAWN";

export interface HourEntry {
  id: string;
  projectId: string;
  activity: HourActivity;
  workedOn: string;
  /** Signed only on a correction. */
  minutes: number;
  note: string;
  status: HourStatus;
  /** The person's display name where they show it; else null ("a member"). */
  personName: string | null;
  /** Why it was rejected ("" otherwise). */
  reason: string;
  correctsEntryId: string | null;
  source: "WEB" | "CORRECTION" | "IMPORTED";
}
const ENTRY = "id projectId activity workedOn minutes note status personName reason correctsEntryId source";

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// ---- Projects the signed-in person may log for ------------------------------------------

export interface ProjectChoice {
  id: string;
  slug: string;
  name: string;
  members: { role: string; person: { id: string } }[];
}
/** The projects the viewer is a current member of (the first 50), with their members. */
export const MY_PROJECTS = `query HourProjects {
  me { sub person { id } }
  projects(mine: true, first: 50) { nodes { id slug name members { role person { id } } } }
}`;
export interface MyProjectsData {
  me: { sub: string; person: { id: string } | null } | null;
  projects: { nodes: ProjectChoice[] };
}

/** One project with its current members: the one the address or the last choice names, when
 * it is not among the first 50. */
export const PROJECT_CHOICE = `query HourProject($id: UUID!) {
  project(id: $id) { id slug name members { role person { id } } }
}`;
export interface ProjectChoiceData {
  project: ProjectChoice | null;
}

/** The names of up to 20 projects by id (my entries and the queue name them by id). */
export function projectNamesQuery(count: number): string {
  const ids = Array.from({ length: count }, (_, i) => i);
  return `query HourProjectNames(${ids.map((i) => `$p${i}: UUID!`).join(", ")}) {
  ${ids.map((i) => `p${i}: project(id: $p${i}) { id slug name }`).join("\n  ")}
}`;
}
export type ProjectNamesData = Record<string, { id: string; slug: string; name: string } | null>;

// ---- Logging, withdrawing, deciding -----------------------------------------------------

export interface LogHoursInput {
  projectId: string;
  activity: HourActivity;
  workedOn: string;
  minutes: number;
  note: string;
}
const ENTRY_RESULT = `__typename ... on HourEntry { ${ENTRY} } ${REFUSALS}`;
export type EntryResult = ({ __typename: "HourEntry" } & HourEntry) | Refusal;

/** `idempotencyKey`: one per submission, so a retry after a lost answer logs once. */
export const LOG_HOURS = `mutation LogHours($input: LogHoursInput!, $key: String) {
  logHours(input: $input, idempotencyKey: $key) { ${ENTRY_RESULT} }
}`;
export type LogHoursData = { logHours: EntryResult };

export const WITHDRAW_HOURS = `mutation WithdrawHours($id: UUID!) {
  withdrawHours(id: $id) { ${ENTRY_RESULT} }
}`;
export type WithdrawHoursData = { withdrawHours: EntryResult };

export const REJECT_HOURS = `mutation RejectHours($id: UUID!, $reason: String!) {
  rejectHours(id: $id, reason: $reason) { ${ENTRY_RESULT} }
}`;
export type RejectHoursData = { rejectHours: EntryResult };

/** One result per id, in the order asked: the entry, or why it was not approved. */
export const APPROVE_BATCH = `mutation ApproveHoursBatch($ids: [ID!]!) {
  approveHoursBatch(ids: $ids) { ${ENTRY_RESULT} }
}`;
export type ApproveBatchData = { approveHoursBatch: EntryResult[] };

// ---- Lists -------------------------------------------------------------------------------

export const MY_HOURS = `query MyHours($first: Int!, $after: String) {
  myHours(first: $first, after: $after) {
    nodes { ${ENTRY} }
    pageInfo { hasNextPage endCursor }
  }
}`;
export interface MyHoursData {
  myHours: Connection<HourEntry>;
}

/** `projectId`: one project's queue (else every project the viewer may decide in). */
export const APPROVAL_QUEUE = `query ApprovalQueue($projectId: UUID, $first: Int!, $after: String) {
  approvalQueue(projectId: $projectId, first: $first, after: $after) {
    nodes { ${ENTRY} }
    pageInfo { hasNextPage endCursor }
  }
}`;
export interface ApprovalQueueData {
  approvalQueue: Connection<HourEntry>;
}

// ---- A project's hours ------------------------------------------------------------------

export interface HoursTotal {
  minutes: number;
  entries: number;
  /** Decimal as a string (money is never a float). */
  value: string;
  currency: string;
}
export interface HoursGroup {
  /** "2026-05" for a month. */
  key: string | null;
  minutes: number;
  entries: number;
  value: string;
}
export interface HoursSummary {
  totalMinutes: number;
  entries: number;
  value: string;
  currency: string;
  hourlyRate: string;
  groups: HoursGroup[];
}

export const PROJECT_HOURS = `query ProjectHours($id: UUID, $slug: String) {
  project(id: $id, slug: $slug) { id slug name hoursTotal { minutes entries value currency } }
}`;
export interface ProjectHoursData {
  project: { id: string; slug: string; name: string; hoursTotal: HoursTotal } | null;
}

export const HOURS_BY_MONTH = `query HoursByMonth($projectId: UUID!) {
  hoursSummary(projectId: $projectId, groupBy: MONTH) {
    totalMinutes entries value currency hourlyRate
    groups { key minutes entries value }
  }
}`;
export interface HoursByMonthData {
  hoursSummary: HoursSummary | null;
}
