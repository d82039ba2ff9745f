// Every GraphQL document (and gateway path) the spaces pages use, in one module: the names
// follow the gateway's schema (gateway/schema.graphql), reconciled here and only here. Parts a
// page can stand without (the sites from commons, the comments) sit in their own queries, so
// the page shows the rest when one of them fails.

// ---- Shared shapes ----------------------------------------------------------------------

/** A person as the public sees them: a Person's `displayName` is null unless they show it;
 * a Contributor's `name` is "a member" then (the server's words). */
export interface PersonRef {
  id: string;
  displayName?: string | null;
  name?: string;
  erased?: boolean;
}

/** The refusals every mutation result may be (gateway/gateway/graphql/errors.py). */
export interface Refusal {
  __typename:
    | "InvalidInput"
    | "NotAuthenticated"
    | "NotAuthorized"
    | "NotFound"
    | "Conflict"
    | "TooManyReports";
  message: string;
  code: string;
  fields?: { field: string; message: string }[];
}

const REFUSALS = `
  ... on UserError { message code }
  ... on InvalidInput { fields { field message } }`;

const PERSON = "id displayName erased";
const CONTRIBUTOR = "id name";

// ---- Projects ---------------------------------------------------------------------------

export type ProjectStatus = "IDEA" | "ACTIVE" | "COMPLETED" | "ARCHIVED";

export interface ProjectSummary {
  id: string;
  slug: string;
  name: string;
  summary: string;
  status: ProjectStatus;
}

/** Projects by status and words in the name or summary (both optional). */
export const PROJECTS = `query Projects($status: ProjectStatus, $q: String, $first: Int!, $after: String) {
  projects(status: $status, q: $q, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id slug name summary status }
  }
}`;
export interface ProjectsData {
  projects: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: ProjectSummary[];
  };
}

export const CREATE_PROJECT = `mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) { __typename ... on Project { id slug } ${REFUSALS} }
}`;
export type CreateProjectData = {
  createProject: ({ __typename: "Project"; id: string; slug: string } | Refusal);
};

export type Role = "COORDINATOR" | "CORE" | "SKILL";
export const ROLES: Role[] = ["COORDINATOR", "CORE", "SKILL"];

export interface Membership {
  id: string;
  /** The stint's role (its last, once ended). */
  role: Role;
  joinedOn: string;
  leftOn: string | null;
  person: PersonRef;
}

export interface DocumentSummary {
  id: string;
  title: string;
  kind: DocumentKind;
  status: DocumentStatus;
  language: string;
  updatedAt: string;
}

export interface ProjectFull extends ProjectSummary {
  createdAt: string;
  /** Approved net volunteer hours (volunteers' own total; `approvedHours` is deprecated). */
  hoursTotal: { minutes: number };
  /** Every stint ever (current: false), so the page shows who left and when. */
  members: Membership[];
  documents: DocumentSummary[];
}

/** A project by its id or its slug: give one of the two variables. */
export const PROJECT = `query Project($id: UUID, $slug: String) {
  me { sub person { id } }
  project(id: $id, slug: $slug) {
    id slug name summary status createdAt hoursTotal { minutes }
    members(current: false) { id role joinedOn leftOn person { ${PERSON} } }
    documents { id title kind status language updatedAt }
  }
}`;

/** The sites a project stewards and has stewarded (commons' answer, resolved by the gateway). */
export const PROJECT_SITES = `query ProjectSites($id: UUID!) {
  project(id: $id) { sites { id name startsOn endsOn } }
}`;
export interface StewardedSite {
  id: string;
  name: string;
  startsOn: string;
  /** Inclusive; null while it goes on. */
  endsOn: string | null;
}
export interface ProjectSitesData {
  project: { sites: StewardedSite[] } | null;
}
export interface ProjectData {
  me: { sub: string; person: { id: string } | null } | null;
  project: ProjectFull | null;
}

const MEMBERSHIP_RESULT = `__typename ... on Membership { id role } ${REFUSALS}`;
export const JOIN_PROJECT = `mutation JoinProject($projectId: UUID!) {
  joinProject(projectId: $projectId) { ${MEMBERSHIP_RESULT} }
}`;
export const LEAVE_PROJECT = `mutation LeaveProject($projectId: UUID!) {
  leaveProject(projectId: $projectId) { ${MEMBERSHIP_RESULT} }
}`;
export type MembershipResult = { __typename: "Membership"; id: string } | Refusal;
export type JoinData = { joinProject: MembershipResult };
export type LeaveData = { leaveProject: MembershipResult };

// ---- Documents and revisions ------------------------------------------------------------

export type DocumentKind = "plan" | "minutes" | "budget" | "report" | "agreement" | "other";
export const DOCUMENT_KINDS: DocumentKind[] = [
  "plan",
  "minutes",
  "budget",
  "report",
  "agreement",
  "other",
];
export type DocumentStatus = "draft" | "published" | "archived";

export interface RevisionSummary {
  id: string;
  parentId: string | null;
  message: string;
  createdAt: string;
  author: PersonRef;
}
export interface Revision extends RevisionSummary {
  body: string;
  /** The body rendered from Markdown and sanitised by the server (an allow-list). */
  html: string;
}
export interface Proposal {
  id: string;
  status: string;
  message: string;
  body: string;
  baseRevisionId: string;
  createdAt: string;
  proposedBy: PersonRef;
}
export interface Attachment {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  /** Its bytes on the public origin. */
  url: string;
  /** Raster images show in the browser; every other file downloads. */
  inline: boolean;
}
const ATTACHMENT = "id filename mediaType size url inline";
export interface Comment {
  id: string;
  /** Plain text, as written (shown as text, never as markup). */
  body: string;
  /** As the author allows: their name, "a member" or "erased person" (the server's words). */
  authorName: string;
  createdAt: string;
}
export interface DocumentFull extends DocumentSummary {
  projectId: string;
  revisionCount: number;
  current: Revision | null;
  /** The newest 100, newest first. */
  revisions: RevisionSummary[];
  proposals: Proposal[];
  /** The files the current revision carries, in order. */
  attachments: Attachment[];
}

const REVISION_SUMMARY = `id parentId message createdAt author { ${CONTRIBUTOR} }`;

export const DOCUMENT = `query Document($id: UUID!) {
  me { sub person { id } }
  document(id: $id) {
    id projectId title kind status language updatedAt revisionCount
    current { ${REVISION_SUMMARY} body html }
    revisions { ${REVISION_SUMMARY} }
    proposals { id status message body baseRevisionId createdAt proposedBy { ${CONTRIBUTOR} } }
    attachments { ${ATTACHMENT} }
  }
}`;
export interface DocumentData {
  me: { sub: string; person: { id: string } | null } | null;
  document: DocumentFull | null;
}

/** The document's project and who is in it now (for the viewer's role). */
export const DOCUMENT_PROJECT = `query DocumentProject($id: UUID!) {
  project(id: $id) { id slug name members { role person { id } } }
}`;
export interface DocumentProject {
  id: string;
  slug: string;
  name: string;
  members: { role: Role; person: { id: string } }[];
}
export interface DocumentProjectData {
  project: DocumentProject | null;
}

/** A document's visible comments, oldest first (hidden ones are not among them). */
export const DOCUMENT_COMMENTS = `query DocumentComments($id: UUID!) {
  document(id: $id) { comments { id body authorName createdAt } }
}`;
export interface DocumentCommentsData {
  document: { comments: Comment[] } | null;
}

export const CREATE_DOCUMENT = `mutation CreateDocument($input: CreateDocumentInput!) {
  createDocument(input: $input) {
    __typename ... on Document { id } ${REFUSALS}
  }
}`;
export type CreateDocumentData = {
  createDocument: { __typename: "Document"; id: string } | Refusal;
};

/** The answer to a save that another revision beat: both texts, nothing overwritten. */
export interface RevisionConflict {
  __typename: "RevisionConflict";
  message: string;
  /** The revision that landed in between: the new parent to save against. */
  current: Revision;
  /** What this save sent (not stored). */
  submitted: { parentRevisionId: string; body: string; message: string };
}
const CONFLICT = `... on RevisionConflict {
  code
  message
  current { ${REVISION_SUMMARY} body html }
  submitted { parentRevisionId body message }
}`;
export type SaveResult = { __typename: "Revision"; id: string } | RevisionConflict | Refusal;

export const SAVE_REVISION = `mutation SaveRevision($input: SaveRevisionInput!) {
  saveRevision(input: $input) {
    __typename ... on Revision { id } ${CONFLICT} ${REFUSALS}
  }
}`;
export type SaveRevisionData = { saveRevision: SaveResult };

export const PROPOSE_REVISION = `mutation ProposeRevision($input: ProposeRevisionInput!) {
  proposeRevision(input: $input) {
    __typename ... on Proposal { id } ${REFUSALS}
  }
}`;
export type ProposeData = {
  proposeRevision: { __typename: "Proposal"; id: string } | Refusal;
};

export const ACCEPT_PROPOSAL = `mutation AcceptProposal($id: UUID!) {
  acceptProposal(id: $id) { __typename ... on Proposal { id } ${CONFLICT} ${REFUSALS} }
}`;
export type AcceptData = {
  acceptProposal: { __typename: "Proposal"; id: string } | RevisionConflict | Refusal;
};

export const DECLINE_PROPOSAL = `mutation DeclineProposal($id: UUID!) {
  declineProposal(id: $id) { __typename ... on Proposal { id } ${REFUSALS} }
}`;
export type DeclineData = {
  declineProposal: { __typename: "Proposal"; id: string } | Refusal;
};

export const REVISION_DIFF = `query RevisionDiff($from: UUID!, $to: UUID!) {
  revisionDiff(from: $from, to: $to) { fromRevisionId toRevisionId html unified added removed }
}`;
export interface DiffData {
  revisionDiff: {
    fromRevisionId: string;
    toRevisionId: string;
    /** Escaped lines with ins/del, made by the server. */
    html: string;
    unified: string;
    added: number;
    removed: number;
  } | null;
}

// ---- Attachments ------------------------------------------------------------------------

/** The gateway's streamed upload path (the request body is the file, the bearer token a
 * writer's); answers 201 with the attachment (`{ id, filename, media_type, size, … }`), whose
 * id a save's `attachmentIds` then names. */
export const uploadPath = (projectId: string, filename: string) =>
  `/projects/${encodeURIComponent(projectId)}/uploads?filename=${encodeURIComponent(filename)}`;
/** The upload's answer, as spaces writes it (snake_case: REST, not GraphQL). */
export interface Uploaded {
  id: string;
  filename: string;
  media_type: string;
  size: number;
}

// ---- Comments ---------------------------------------------------------------------------

export const ADD_COMMENT = `mutation AddComment($documentId: UUID!, $body: String!) {
  addComment(documentId: $documentId, body: $body) {
    __typename ... on Comment { id } ${REFUSALS}
  }
}`;
export type AddCommentData = { addComment: { __typename: "Comment"; id: string } | Refusal };
/** Anyone may report, signed out too (a limit per visitor answers TooManyReports). */
export const REPORT_COMMENT = `mutation ReportComment($commentId: UUID!, $reason: String!) {
  reportComment(commentId: $commentId, reason: $reason) {
    __typename ... on CommentReported { id } ${REFUSALS}
  }
}`;
export type ReportCommentData = {
  reportComment: { __typename: "CommentReported"; id: string } | Refusal;
};
/** The project's coordinators hide one: it leaves public view, the audit keeps it. */
export const HIDE_COMMENT = `mutation HideComment($commentId: UUID!, $reason: String!) {
  hideComment(commentId: $commentId, reason: $reason) {
    __typename ... on ModerationEntry { id } ${REFUSALS}
  }
}`;
export type HideCommentData = {
  hideComment: { __typename: "ModerationEntry"; id: string } | Refusal;
};

// ---- The person's own page --------------------------------------------------------------

export interface Profile {
  id: string;
  displayName: string | null;
  language: "EN" | "NL" | "PL" | "FR" | null;
  namePublic: boolean;
  contactEmail: string | null;
  contactPhone: string | null;
}
const PROFILE = "id displayName language namePublic contactEmail contactPhone";

export const MY_PROFILE = `query MyProfile { me { sub person { ${PROFILE} } } }`;
export interface MyProfileData {
  me: { sub: string; person: Profile | null } | null;
}

export const UPDATE_PROFILE = `mutation UpdateProfile($input: UpdateProfileInput!) {
  updateProfile(input: $input) { __typename ... on Person { ${PROFILE} } ${REFUSALS} }
}`;
export type UpdateProfileData = {
  updateProfile: ({ __typename: "Person" } & Profile) | Refusal;
};

export const ERASE_ME = `mutation EraseMe {
  eraseMe { __typename ... on Erased { pseudonym } ${REFUSALS} }
}`;
export type EraseData = { eraseMe: { __typename: "Erased"; pseudonym: string } | Refusal };

/** Everything the services hold about the signed-in person (one JSON value). */
export const MY_DATA = "query MyData { myData }";
export interface MyDataData {
  myData: unknown;
}

// ---- Search -----------------------------------------------------------------------------

export const SEARCH = `query Search($q: String!, $language: String) {
  search(q: $q, language: $language, first: 50) {
    documentId projectId title language rank snippet
  }
}`;
export interface SearchHit {
  documentId: string;
  projectId: string;
  title: string;
  language: string;
  rank: number;
  /** HTML: the text escaped, the matches in <mark>. */
  snippet: string;
}
export interface SearchData {
  search: SearchHit[];
}
