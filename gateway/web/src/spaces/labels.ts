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

// Pages are addressed by the project's id: the schema has project(id) only so far (issue 8
// names project(id | slug); with it, these become slugs).
export const projectPath = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;
export const documentPath = (projectId: string, id: string, rest = "") =>
  `${projectPath(projectId)}/documents/${encodeURIComponent(id)}${rest}`;
