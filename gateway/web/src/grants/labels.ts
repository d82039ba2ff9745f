// The message keys of grants' enumerations, and the paths of the grants pages.
import type { MessageKey } from "../i18n";
import type { ApplicationStatus, BallotKind, CallMode, CallStatus, LedgerKind, VoterRule } from "./queries";

export const CALL_STATUS_LABELS: Record<CallStatus, MessageKey> = {
  draft: "grants.status.draft",
  open: "grants.status.open",
  closed: "grants.status.closed",
  decided: "grants.status.decided",
};
export const MODE_LABELS: Record<CallMode, MessageKey> = {
  PANEL: "grants.mode.panel",
  VOTE: "grants.mode.vote",
  BOTH: "grants.mode.both",
};
export const BALLOT_LABELS: Record<BallotKind, MessageKey> = {
  POINTS: "grants.ballot.points",
  APPROVAL: "grants.ballot.approval",
  KNAPSACK: "grants.ballot.knapsack",
};
export const VOTER_RULE_LABELS: Record<VoterRule, MessageKey> = {
  CITIZEN: "grants.voterRule.citizen",
  CLAIM: "grants.voterRule.claim",
};
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, MessageKey> = {
  DRAFT: "grants.application.draft",
  SUBMITTED: "grants.application.submitted",
  WITHDRAWN: "grants.application.withdrawn",
  AWARDED: "grants.application.awarded",
  REJECTED: "grants.application.rejected",
};
export const LEDGER_KIND_LABELS: Record<LedgerKind, MessageKey> = {
  COMMITTED: "grants.ledger.kind.committed",
  DISBURSED: "grants.ledger.kind.disbursed",
  RELEASED: "grants.ledger.kind.released",
};
/** Eligibility rules by their names in the API (EligibilityRule.rule, NotEligible.rule). */
export const RULE_LABELS: Record<string, MessageKey> = {
  min_members: "grants.rule.minMembers",
  min_hours: "grants.rule.minHours",
  district: "grants.rule.district",
};

export const CALLS_PATH = "/calls";
export const callPath = (id: string, rest = "") => `/calls/${encodeURIComponent(id)}${rest}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Whether an address's segment can be a call's id (else the page says there is no such call
 * without asking). */
export const isId = (segment: string | null | undefined): segment is string => !!segment && UUID.test(segment);
