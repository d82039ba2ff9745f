// Every GraphQL document the grants pages use, in one module: the names follow the gateway's
// schema (gateway/schema.graphql), reconciled here and only here. Money is `Money { amount,
// currency }` with the amount a decimal string, never a float.

// ---- Shared shapes ----------------------------------------------------------------------

export interface Money {
  amount: string;
  currency: string;
}
const MONEY = "{ amount currency }";

/** FundingCall.status is a lower-case string; the `calls(status:)` argument is CallStatus. */
export type CallStatus = "draft" | "open" | "closed" | "decided";
export type CallMode = "PANEL" | "VOTE" | "BOTH";
export const MODES: CallMode[] = ["PANEL", "VOTE", "BOTH"];
export type BallotKind = "POINTS" | "APPROVAL" | "KNAPSACK";
export const BALLOT_KINDS: BallotKind[] = ["APPROVAL", "POINTS", "KNAPSACK"];
export type VoterRule = "CITIZEN" | "CLAIM";
export const VOTER_RULES: VoterRule[] = ["CITIZEN", "CLAIM"];
export type ApplicationStatus = "DRAFT" | "SUBMITTED" | "WITHDRAWN" | "AWARDED" | "REJECTED";
export type LedgerKind = "COMMITTED" | "DISBURSED" | "RELEASED";

/** Every refusal a grants mutation may answer with: the usual ones and grants' own. */
export interface GrantsRefusal {
  __typename:
    | "InvalidInput"
    | "NotAuthenticated"
    | "NotAuthorized"
    | "NotFound"
    | "Conflict"
    | "NotEligible"
    | "CallClosed"
    | "BudgetExceeded"
    | "ConflictOfInterest";
  message: string;
  code: string;
  fields?: { field: string; message: string }[];
  /** NotEligible: the first unmet rule, and every unmet one. */
  rule?: string;
  rules?: string[];
  /** BudgetExceeded: what is left of the call's budget (a decimal string). */
  remaining?: string;
}

const REFUSALS = `
  ... on UserError { message code }
  ... on InvalidInput { fields { field message } }`;
const APPLICATION_REFUSALS = `${REFUSALS}
  ... on NotEligible { rule rules }
  ... on BudgetExceeded { remaining }`;

interface Viewer {
  sub: string;
  roles: string[];
}
export const isOfficer = (me: Viewer | null) => !!me?.roles.includes("grant_officer");

// ---- Calls ------------------------------------------------------------------------------

export interface CallCard {
  id: string;
  title: string;
  status: CallStatus;
  budget: Money;
  remaining: Money;
  opensOn: string;
  closesOn: string;
}
const CARD = `id title status budget ${MONEY} remaining ${MONEY} opensOn closesOn`;

/** Open calls for everyone, closed and decided ones, and drafts (grants shows those to
 * officers only; others get none). */
// ---- The reviewer pool -------------------------------------------------------------------

export interface PoolEntry {
  id: string;
  joinedAt: string;
  leftAt: string | null;
}
const POOL_ENTRY = "id joinedAt leftAt";
export const JOIN_POOL = `mutation JoinReviewerPool {
  joinReviewerPool { __typename ... on PoolEntry { ${POOL_ENTRY} } ${REFUSALS} }
}`;
export const LEAVE_POOL = `mutation LeaveReviewerPool {
  leaveReviewerPool { __typename ... on PoolEntry { ${POOL_ENTRY} } ${REFUSALS} }
}`;
export type PoolEntryResult = ({ __typename: "PoolEntry" } & PoolEntry) | GrantsRefusal;

export const CALLS = `query GrantCalls {
  me { sub roles }
  open: calls(status: OPEN, first: 50) { totalCount nodes { ${CARD} } }
  closed: calls(status: CLOSED, first: 20) { nodes { ${CARD} } }
  decided: calls(status: DECIDED, first: 20) { nodes { ${CARD} } }
  drafts: calls(status: DRAFT, first: 50) { nodes { ${CARD} } }
  myPoolEntry { ${POOL_ENTRY} }
}`;
export interface CallsData {
  me: Viewer | null;
  myPoolEntry: PoolEntry | null;
  open: { totalCount: number; nodes: CallCard[] };
  closed: { nodes: CallCard[] };
  decided: { nodes: CallCard[] };
  drafts: { nodes: CallCard[] };
}

export interface Criterion {
  name: string;
  weight: number;
}

/** A call's terms: what CreateCallInput writes, as the call shows it. */
export interface CallTerms {
  id: string;
  title: string;
  description: string;
  currency: string;
  status: CallStatus;
  budget: Money;
  minAward: Money;
  maxAward: Money;
  committed: Money;
  disbursed: Money;
  remaining: Money;
  opensOn: string;
  closesOn: string;
  mode: CallMode;
  voteWeight: string;
  criteria: Criterion[];
  scaleMin: number;
  scaleMax: number;
  panelSize: number;
  ballotKind: BallotKind | null;
  ballotPoints: number | null;
  ballotMaxChoices: number | null;
  voterRule: VoterRule;
  voterClaim: string | null;
  voterClaimValue: string | null;
  minMembers: number | null;
  minHours: number | null;
  districtId: string | null;
  district: { id: string; name: string } | null;
  version: number;
}
const TERMS = `id title description currency status
  budget ${MONEY} minAward ${MONEY} maxAward ${MONEY}
  committed ${MONEY} disbursed ${MONEY} remaining ${MONEY}
  opensOn closesOn mode voteWeight criteria { name weight } scaleMin scaleMax panelSize
  ballotKind ballotPoints ballotMaxChoices voterRule voterClaim voterClaimValue
  minMembers minHours districtId district { id name } version`;

export interface RankedApplication {
  position: number;
  applicationId: string;
  projectId: string;
  projectName: string | null;
  title: string;
  requested: Money;
  status: ApplicationStatus;
  score: string;
  panel: string | null;
  vote: string | null;
  reviews: number;
  votes: number | null;
}
export interface Ranking {
  mode: CallMode;
  tieRule: string;
  votesCounted: boolean;
  applications: RankedApplication[];
}
export interface PanelDraw {
  seedCommitment: string | null;
  poolCommitment: string | null;
  poolSize: number;
  panelSize: number;
  drawn: boolean;
  seed: string | null;
  pool: string[] | null;
  drawnEntries: string[] | null;
}
export interface PanelMember {
  personId: string | null;
  poolEntryId: string | null;
  place: number | null;
  seat: "DRAWN" | "ASSIGNED";
}
export interface ReviewPanel {
  size: number;
  members: PanelMember[];
  /** Whether the viewer has a seat on it. */
  youSit: boolean;
}
const PANEL = "size youSit members { personId poolEntryId place seat }";

export interface TallyLine {
  applicationId: string;
  title: string;
  projectName: string | null;
  points: number;
}
export interface Tally {
  kind: BallotKind;
  ballots: number;
  lines: TallyLine[];
}
const TALLY = "kind ballots lines { applicationId title projectName points }";

export interface FullCall extends CallTerms {
  ranking: Ranking;
  panel: ReviewPanel;
  /** Asked for once the call is published (CALL_OUTCOME): grants answers a draft's draw,
   * tally and ledger with "no such call", even to officers. */
  draw: PanelDraw | null;
  tally: Tally | null;
}
export const CALL = `query GrantCall($id: UUID!) {
  me { sub roles }
  call(id: $id) {
    ${TERMS}
    ranking { mode tieRule votesCounted applications {
      position applicationId projectId projectName title requested ${MONEY} status
      score panel vote reviews votes } }
    panel { ${PANEL} }
  }
}`;
export interface CallData {
  me: Viewer | null;
  call: Omit<FullCall, "draw" | "tally"> | null;
}
export const CALL_OUTCOME = `query GrantCallOutcome($id: UUID!) {
  call(id: $id) {
    id
    draw { seedCommitment poolCommitment poolSize panelSize drawn seed pool drawnEntries }
    tally { ${TALLY} }
  }
}`;
export interface CallOutcomeData {
  call: { id: string; draw: PanelDraw; tally: Tally | null } | null;
}

/** The call as the editor starts from it, and the districts a call may be limited to. */
export const CALL_TERMS = `query GrantCallTerms($id: UUID!) {
  me { sub roles }
  call(id: $id) { ${TERMS} }
}`;
export interface CallTermsData {
  me: Viewer | null;
  call: CallTerms | null;
}
/** The districts by name, a page at a time (a city may have more than a page of them). */
export const DISTRICTS = `query GrantDistricts($after: String) {
  me { sub roles }
  districts(first: 100, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } }
}`;
export interface DistrictsData {
  me: Viewer | null;
  districts: { nodes: { id: string; name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

// ---- The ledger ---------------------------------------------------------------------------

export interface LedgerEntry {
  id: string;
  kind: LedgerKind;
  amount: Money;
  applicationId: string | null;
  projectId: string | null;
  projectName: string | null;
  note: string;
  recordedAt: string;
}
export interface Ledger {
  budget: Money;
  committed: Money;
  disbursed: Money;
  remaining: Money;
  entries: LedgerEntry[];
  totalCount: number;
  csvUrl: string;
}
export const LEDGER = `query GrantLedger($id: UUID!, $first: Int!, $after: String) {
  call(id: $id) { id ledger(first: $first, after: $after) {
    budget ${MONEY} committed ${MONEY} disbursed ${MONEY} remaining ${MONEY} totalCount csvUrl
    entries { id kind amount ${MONEY} applicationId projectId projectName note recordedAt }
  } }
}`;
export interface LedgerData {
  call: { id: string; ledger: Ledger } | null;
}
export const RECORD_PAYMENT = `mutation RecordPayment($callId: UUID!, $input: PaymentInput!) {
  recordPayment(callId: $callId, input: $input) {
    __typename ... on LedgerEntry { id kind amount ${MONEY} applicationId note recordedAt } ${REFUSALS} }
}`;
export type PaymentResult = ({ __typename: "LedgerEntry" } & Omit<LedgerEntry, "projectId" | "projectName">) | GrantsRefusal;

// ---- Officers' actions ----------------------------------------------------------------------

const CALL_RESULT = `__typename ... on FundingCall { id status version } ${REFUSALS}`;
export type CallResult = ({ __typename: "FundingCall" } & Pick<CallTerms, "id" | "status" | "version">) | GrantsRefusal;

export const CREATE_CALL = `mutation CreateCall($input: CreateCallInput!) {
  createCall(input: $input) { ${CALL_RESULT} }
}`;
export const UPDATE_CALL = `mutation UpdateCall($id: UUID!, $input: CreateCallInput!) {
  updateCall(id: $id, input: $input) { ${CALL_RESULT} }
}`;
export const PUBLISH_CALL = `mutation PublishCall($id: UUID!) { publishCall(id: $id) { ${CALL_RESULT} } }`;
export const CLOSE_CALL = `mutation CloseCall($id: UUID!) { closeCall(id: $id) { ${CALL_RESULT} } }`;
export const DECIDE_CALL = `mutation DecideCall($id: UUID!) { decideCall(id: $id) { ${CALL_RESULT} } }`;

export const DRAW_PANEL = `mutation DrawPanel($callId: UUID!) {
  drawPanel(callId: $callId) { __typename ... on ReviewPanel { ${PANEL} } ${REFUSALS} }
}`;
export type PanelResult = ({ __typename: "ReviewPanel" } & ReviewPanel) | GrantsRefusal;
export const ASSIGN_REVIEWER = `mutation AssignReviewer($callId: UUID!, $personId: ID!) {
  assignReviewer(callId: $callId, personId: $personId) { __typename ... on ReviewPanel { ${PANEL} } ${REFUSALS} }
}`;

// ---- Applications -----------------------------------------------------------------------------

export interface BudgetLine {
  label: string;
  amount: Money;
}
export interface Application {
  id: string;
  callId: string;
  projectId: string;
  projectName: string | null;
  title: string;
  summary: string;
  requested: Money;
  budgetLines: BudgetLine[];
  status: ApplicationStatus;
  awarded: Money | null;
  disbursed: Money;
  released: Money;
  decisionNote: string;
  submittedAt: string | null;
  version: number;
}
const APPLICATION = `id callId projectId projectName title summary requested ${MONEY}
  budgetLines { label amount ${MONEY} } status awarded ${MONEY} disbursed ${MONEY} released ${MONEY}
  decisionNote submittedAt version`;
const APPLICATION_RESULT = `__typename ... on Application { ${APPLICATION} } ${APPLICATION_REFUSALS}`;
export type ApplicationResult = ({ __typename: "Application" } & Application) | GrantsRefusal;

/** The call's applications but drafts (the award screen). */
export const CALL_APPLICATIONS = `query GrantCallApplications($id: UUID!, $after: String) {
  call(id: $id) { id currency remaining ${MONEY} applications(first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${APPLICATION} } } }
}`;
/** What is left of the budget (after an award). */
export const CALL_REMAINING = `query GrantCallRemaining($id: UUID!) { call(id: $id) { id remaining ${MONEY} } }`;
export interface CallRemainingData {
  call: { id: string; remaining: Money } | null;
}
export interface CallApplicationsData {
  call: {
    id: string;
    currency: string;
    remaining: Money;
    applications: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Application[] };
  } | null;
}

export interface ApplyProject {
  id: string;
  slug: string;
  name: string;
  members: { role: string; person: { id: string } }[];
  /** Its applications to this call, its drafts too (it is theirs: they coordinate it). */
  applications: { nodes: Pick<Application, "id" | "callId" | "status">[] };
}
export const APPLY = `query GrantApply($id: UUID!) {
  me { sub roles person { id } }
  call(id: $id) { id title status currency opensOn closesOn minAward ${MONEY} maxAward ${MONEY}
    minMembers minHours district { id name } }
  projects(mine: true, first: 50) { nodes { id slug name members { role person { id } }
    applications(callId: $id, first: 10) { nodes { id callId status } } } }
}`;
export interface ApplyData {
  me: (Viewer & { person: { id: string } | null }) | null;
  call: Pick<CallTerms, "id" | "title" | "status" | "currency" | "opensOn" | "closesOn" | "minAward" | "maxAward" | "minMembers" | "minHours" | "district"> | null;
  projects: { nodes: ApplyProject[] };
}

export const APPLICATION_QUERY = `query GrantApplication($id: UUID!) {
  application(id: $id) { ${APPLICATION} }
}`;
export interface ApplicationData {
  application: Application | null;
}

export interface EligibilityRule {
  rule: string;
  met: boolean;
  required: string;
  actual: string;
  message: string;
}
export interface Eligibility {
  eligible: boolean;
  rules: EligibilityRule[];
}
export const ELIGIBILITY = `query GrantEligibility($id: UUID!, $projectId: UUID!) {
  call(id: $id) { id eligibility(projectId: $projectId) { eligible rules { rule met required actual message } } }
}`;
export interface EligibilityData {
  call: { id: string; eligibility: Eligibility } | null;
}

export interface ApplicationInput {
  title: string;
  summary: string;
  requested: string;
  budgetLines: { label: string; amount: string }[];
}
export const CREATE_APPLICATION = `mutation CreateApplication($callId: UUID!, $projectId: UUID!, $input: ApplicationInput!) {
  createApplication(callId: $callId, projectId: $projectId, input: $input) { ${APPLICATION_RESULT} }
}`;
export const UPDATE_APPLICATION = `mutation UpdateApplication($id: UUID!, $input: ApplicationInput!) {
  updateApplication(id: $id, input: $input) { ${APPLICATION_RESULT} }
}`;
export const SUBMIT_APPLICATION = `mutation SubmitApplication($id: UUID!) {
  submitApplication(id: $id) { ${APPLICATION_RESULT} }
}`;
export const AWARD_APPLICATION = `mutation AwardApplication($id: UUID!, $amount: Decimal, $note: String!) {
  awardApplication(id: $id, amount: $amount, note: $note) { ${APPLICATION_RESULT} }
}`;
export const REJECT_APPLICATION = `mutation RejectApplication($id: UUID!, $note: String!) {
  rejectApplication(id: $id, note: $note) { ${APPLICATION_RESULT} }
}`;

// ---- Reviews ------------------------------------------------------------------------------

export interface Review {
  id: string;
  applicationId: string;
  scores: { criterion: string; score: number }[];
  comment: string;
  reviewedAt: string;
  mine: boolean;
}
const REVIEW = "id applicationId scores { criterion score } comment reviewedAt mine";
export interface ReviewedApplication extends Pick<Application, "id" | "projectId" | "projectName" | "title" | "summary" | "requested"> {
  reviews: Review[];
}
/** The first 30 submitted applications (a panel's reading; each one's reviews cost a request). */
export const REVIEWS = `query GrantReviews($id: UUID!, $after: String) {
  me { sub roles }
  call(id: $id) { id title status criteria { name weight } scaleMin scaleMax panel { youSit }
    applications(status: SUBMITTED, first: 30, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes {
        id projectId projectName title summary requested ${MONEY} reviews { ${REVIEW} } } } }
}`;
export interface ReviewsData {
  me: Viewer | null;
  call: (Pick<CallTerms, "id" | "title" | "status" | "criteria" | "scaleMin" | "scaleMax"> & {
    panel: { youSit: boolean };
    applications: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: ReviewedApplication[];
    };
  }) | null;
}
export const REVIEW_APPLICATION = `mutation ReviewApplication($id: UUID!, $scores: [ScoreInput!]!, $comment: String!) {
  reviewApplication(id: $id, scores: $scores, comment: $comment) {
    __typename ... on Review { ${REVIEW} } ${REFUSALS} }
}`;
export type ReviewResult = ({ __typename: "Review" } & Review) | GrantsRefusal;

// ---- Ballots ------------------------------------------------------------------------------

export interface Ballot {
  choices: { applicationId: string; points: number }[];
  version: number;
  castAt: string;
}
const BALLOT = "choices { applicationId points } version castAt";
export type VoteApplication = Pick<Application, "id" | "projectName" | "title" | "summary" | "requested">;
const VOTE_APPLICATIONS = `nodes { id projectName title summary requested ${MONEY} } pageInfo { hasNextPage endCursor }`;
export const VOTE = `query GrantVote($id: UUID!) {
  me { sub roles }
  call(id: $id) { id title status currency closesOn mode budget ${MONEY}
    ballotKind ballotPoints ballotMaxChoices voterRule voterClaim voterClaimValue voter { mayVote }
    applications(status: SUBMITTED, first: 100) { ${VOTE_APPLICATIONS} }
    myBallot { ${BALLOT} }
    tally { ${TALLY} } }
}`;
/** The next page of what one may vote for (a call takes up to a thousand applications). */
export const VOTE_MORE = `query GrantVoteMore($id: UUID!, $after: String) {
  call(id: $id) { id applications(status: SUBMITTED, first: 100, after: $after) { ${VOTE_APPLICATIONS} } }
}`;
export interface VoteMoreData {
  call: { id: string; applications: VoteApplications } | null;
}
interface VoteApplications {
  nodes: VoteApplication[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
export interface VoteData {
  me: Viewer | null;
  call: (Pick<CallTerms, "id" | "title" | "status" | "currency" | "closesOn" | "mode" | "budget" | "ballotKind" | "ballotPoints" | "ballotMaxChoices" | "voterRule" | "voterClaim" | "voterClaimValue"> & {
    applications: VoteApplications;
    voter: { mayVote: boolean };
    myBallot: Ballot | null;
    tally: Tally | null;
  }) | null;
}
export const CAST_BALLOT = `mutation CastBallot($callId: UUID!, $choices: [BallotChoiceInput!]!) {
  castBallot(callId: $callId, choices: $choices) { __typename ... on Ballot { ${BALLOT} } ${REFUSALS} }
}`;
export type BallotResult = ({ __typename: "Ballot" } & Ballot) | GrantsRefusal;
