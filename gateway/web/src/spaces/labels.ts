// The message keys of the spaces' enumerations, and the paths of their pages.
import type { MessageKey } from "../i18n";
import type { DocumentSummary, ProjectStatus, Role } from "./queries";

export const STATUS_LABELS: Record<ProjectStatus, MessageKey> = {
  IDEA: "project.status.idea",
  ACTIVE: "project.status.active",
  COMPLETED: "project.status.completed",
  ARCHIVED: "project.status.archived",
};
export const ROLE_HEADINGS: Record<Role, MessageKey> = {
  COORDINATOR: "members.coordinators",
  CORE: "members.core",
  SKILL: "members.skill",
};
export const KIND_LABELS: Record<DocumentSummary["kind"], MessageKey> = {
  plan: "document.kind.plan",
  minutes: "document.kind.minutes",
  budget: "document.kind.budget",
  report: "document.kind.report",
  agreement: "document.kind.agreement",
  other: "document.kind.other",
};
export const DOC_STATUS_LABELS: Record<DocumentSummary["status"], MessageKey> = {
  draft: "document.status.draft",
  published: "document.status.published",
  archived: "document.status.archived",
};
export const LANGUAGE_NAMES: [string, MessageKey][] = [
  ["en", "language.en"],
  ["nl", "language.nl"],
  ["pl", "language.pl"],
  ["fr", "language.fr"],
];

// Pages are addressed by the project's slug, readable in a link (`/projects/elisabeth-park`);
// its id works there too (a search hit knows only the project's id). A document's pages load
// by the document's id; the slug before it is for the reader.
export const projectPath = (slugOrId: string) => `/projects/${encodeURIComponent(slugOrId)}`;
export const documentPath = (slugOrId: string, id: string, rest = "") =>
  `${projectPath(slugOrId)}/documents/${encodeURIComponent(id)}${rest}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** spaces' slug rule (shared/meent_shared/types.py: Slug, at most 80 characters). */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The variables of `project(id | slug)` for an address's segment; null when it can be
 * neither (the page then says there is no such project, without asking). */
export function projectKey(segment: string): { id: string } | { slug: string } | null {
  if (UUID.test(segment)) return { id: segment };
  if (segment.length <= 80 && SLUG.test(segment)) return { slug: segment };
  return null;
}
