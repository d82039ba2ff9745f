// The message keys of the spaces' enumerations, and the paths of their pages.
import type { MessageKey } from "../i18n";
import type { DocumentSummary, ProjectStatus, Role } from "./queries";

export const STATUS_LABELS: Record<ProjectStatus, MessageKey> = {
  idea: "project.status.idea",
  active: "project.status.active",
  completed: "project.status.completed",
  archived: "project.status.archived",
};
export const ROLE_HEADINGS: Record<Role, MessageKey> = {
  coordinator: "members.coordinators",
  core: "members.core",
  skill: "members.skill",
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

export const projectPath = (slug: string) => `/projects/${encodeURIComponent(slug)}`;
export const documentPath = (slug: string, id: string, rest = "") =>
  `${projectPath(slug)}/documents/${encodeURIComponent(id)}${rest}`;
