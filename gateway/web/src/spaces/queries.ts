// Every GraphQL document (and gateway path) the spaces pages use, in one module: the names
// follow issue 8 (Person, Project, Membership, Document, Revision, Attachment, Comment) and are
// reconciled with the gateway's schema here, and only here.

// ---- Shared shapes ----------------------------------------------------------------------

/** A person as the public sees them: `displayName` is null unless they show their name. */
export interface PersonRef {
  id: string;
  displayName: string | null;
}

/** The refusals every mutation result may be (gateway/gateway/graphql/errors.py). */
export interface Refusal {
  __typename: "InvalidInput" | "NotAuthenticated" | "NotAuthorized" | "NotFound" | "Conflict";
  message: string;
  code: string;
  fields?: { field: string; message: string }[];
}

const REFUSALS = `
  ... on UserError { message code }
  ... on InvalidInput { fields { field message } }`;

const PERSON = "id displayName";

// ---- Projects ---------------------------------------------------------------------------

export type ProjectStatus = "idea" | "active" | "completed" | "archived";
export const PROJECT_STATUSES: ProjectStatus[] = ["idea", "active", "completed", "archived"];

export interface ProjectSummary {
  id: string;
  slug: string;
  name: string;
  summary: string;
  status: ProjectStatus;
}

export const PROJECTS = `query Projects($status: String, $q: String, $first: Int!, $after: String) {
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

export type Role = "coordinator" | "core" | "skill";
export const ROLES: Role[] = ["coordinator", "core", "skill"];

export interface Membership {
  id: string;
  role: Role | null;
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
  /** Approved volunteer hours, as grants counts them. */
  approvedHours: number;
  memberships: Membership[];
  documents: DocumentSummary[];
  /** The sites the project stewards: commons' answer, resolved by the gateway. */
  sites: { id: string; name: string }[];
}

export const PROJECT = `query Project($slug: String!) {
  me { sub person { id } }
  project(slug: $slug) {
    id slug name summary status createdAt approvedHours
    memberships { id role joinedOn leftOn person { ${PERSON} } }
    documents { id title kind status language updatedAt }
    sites { id name }
  }
}`;
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
  status: "open" | "accepted" | "declined";
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
}
export interface Comment {
  id: string;
  body: string;
  createdAt: string;
  author: PersonRef;
}
export interface DocumentFull extends DocumentSummary {
  project: {
    id: string;
    slug: string;
    name: string;
    memberships: { role: Role | null; leftOn: string | null; person: { id: string } }[];
  };
  currentRevision: Revision | null;
  revisions: RevisionSummary[];
  proposals: Proposal[];
  attachments: Attachment[];
  comments: Comment[];
}

const REVISION_SUMMARY = `id parentId message createdAt author { ${PERSON} }`;

export const DOCUMENT = `query Document($id: UUID!) {
  me { sub person { id } }
  document(id: $id) {
    id title kind status language updatedAt
    project { id slug name memberships { role leftOn person { id } } }
    currentRevision { ${REVISION_SUMMARY} body html }
    revisions { ${REVISION_SUMMARY} }
    proposals { id status message body baseRevisionId createdAt proposedBy { ${PERSON} } }
    attachments { id filename mediaType size }
    comments { id body createdAt author { ${PERSON} } }
  }
}`;
export interface DocumentData {
  me: { sub: string; person: { id: string } | null } | null;
  document: DocumentFull | null;
}

export const CREATE_DOCUMENT = `mutation CreateDocument($projectId: UUID!, $input: CreateDocumentInput!) {
  createDocument(projectId: $projectId, input: $input) {
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
  message
  current { ${REVISION_SUMMARY} body html }
  submitted { parentRevisionId body message }
}`;
export type SaveResult = { __typename: "Revision"; id: string } | RevisionConflict | Refusal;

export const SAVE_REVISION = `mutation SaveRevision($documentId: UUID!, $input: SaveRevisionInput!) {
  saveRevision(documentId: $documentId, input: $input) {
    __typename ... on Revision { id } ${CONFLICT} ${REFUSALS}
  }
}`;
export type SaveRevisionData = { saveRevision: SaveResult };

export const PROPOSE_REVISION = `mutation ProposeRevision($documentId: UUID!, $input: ProposeRevisionInput!) {
  proposeRevision(documentId: $documentId, input: $input) {
    __typename ... on Proposal { id } ${REFUSALS}
  }
}`;
export type ProposeData = {
  proposeRevision: { __typename: "Proposal"; id: string } | Refusal;
};

export const ACCEPT_PROPOSAL = `mutation AcceptProposal($id: UUID!) {
  acceptProposal(id: $id) { __typename ... on Revision { id } ${CONFLICT} ${REFUSALS} }
}`;
export type AcceptData = { acceptProposal: SaveResult };

export const DECLINE_PROPOSAL = `mutation DeclineProposal($id: UUID!) {
  declineProposal(id: $id) { __typename ... on Proposal { id } ${REFUSALS} }
}`;
export type DeclineData = {
  declineProposal: { __typename: "Proposal"; id: string } | Refusal;
};

export const REVISION_DIFF = `query RevisionDiff($from: UUID!, $to: UUID!) {
  revisionDiff(from: $from, to: $to) {
    html unified added removed
    from { ${REVISION_SUMMARY} }
    to { ${REVISION_SUMMARY} document { id title project { slug name } } }
  }
}`;
export interface DiffData {
  revisionDiff: {
    /** Escaped lines with ins/del, made by the server. */
    html: string;
    unified: string;
    added: number;
    removed: number;
    from: RevisionSummary;
    to: RevisionSummary & {
      document: { id: string; title: string; project: { slug: string; name: string } };
    };
  } | null;
}

// ---- Attachments ------------------------------------------------------------------------

/** The gateway's streamed upload path (the request body is the file); answers `{ id, … }`. */
export const uploadPath = (projectId: string, filename: string) =>
  `/projects/${encodeURIComponent(projectId)}/uploads?filename=${encodeURIComponent(filename)}`;
/** An attachment's bytes (Content-Disposition: attachment, through the gateway). */
export const downloadPath = (attachmentId: string) =>
  `/attachments/${encodeURIComponent(attachmentId)}/content`;

export const ATTACH_FILE = `mutation AttachFile($revisionId: UUID!, $attachmentId: UUID!) {
  attachFile(revisionId: $revisionId, attachmentId: $attachmentId) {
    __typename ... on Attachment { id } ${REFUSALS}
  }
}`;
export type AttachData = { attachFile: { __typename: "Attachment"; id: string } | Refusal };

// ---- Comments ---------------------------------------------------------------------------

export const ADD_COMMENT = `mutation AddComment($documentId: UUID!, $body: String!) {
  addComment(documentId: $documentId, body: $body) {
    __typename ... on Comment { id } ${REFUSALS}
  }
}`;
export const REPORT_COMMENT = `mutation ReportComment($id: UUID!, $reason: String!) {
  reportComment(id: $id, reason: $reason) { __typename ... on Comment { id } ${REFUSALS} }
}`;
export const HIDE_COMMENT = `mutation HideComment($id: UUID!, $reason: String!) {
  hideComment(id: $id, reason: $reason) { __typename ... on Comment { id } ${REFUSALS} }
}`;
export type CommentResult = { __typename: "Comment"; id: string } | Refusal;

// ---- The person's own page --------------------------------------------------------------

export interface Profile {
  id: string;
  displayName: string;
  language: string;
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

export const ERASE_ME = `mutation EraseMe($confirm: String!) {
  eraseMe(confirm: $confirm) { __typename ... on Erasure { erasedAt } ${REFUSALS} }
}`;
export type EraseData = { eraseMe: { __typename: "Erasure"; erasedAt: string } | Refusal };

/** Everything held about the signed-in person, from every service, as one JSON download. */
export const EXPORT_PATH = "/me/export";

// ---- Search -----------------------------------------------------------------------------

export const SEARCH = `query Search($q: String!, $language: String) {
  search(q: $q, language: $language) {
    totalCount
    nodes { rank snippet document { id title language project { slug name } } }
  }
}`;
export interface SearchData {
  search: {
    totalCount: number;
    nodes: {
      rank: number;
      /** HTML: the text escaped, the matches in <mark>. */
      snippet: string;
      document: { id: string; title: string; language: string; project: { slug: string; name: string } };
    }[];
  };
}
