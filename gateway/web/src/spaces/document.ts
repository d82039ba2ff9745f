// `/projects/:slug/documents/:id`: a document's current text, open proposals (accepted or
// declined by a writer), attachments and comments. Readable by everyone.
import { alertBox, h } from "../dom";
import type { Page, RouteMatch } from "../router";
import { attachmentsSection } from "./attachments";
import { commentsSection } from "./comments";
import { conflictView } from "./conflict";
import { documentPath, DOC_STATUS_LABELS, KIND_LABELS, projectPath } from "./labels";
import {
  ACCEPT_PROPOSAL,
  DECLINE_PROPOSAL,
  DOCUMENT,
  DOCUMENT_PROJECT,
  type AcceptData,
  type DeclineData,
  type DocumentData,
  type DocumentFull,
  type DocumentProject,
  type DocumentProjectData,
  type Proposal,
  type Role,
} from "./queries";
import { actionButton, announce, fill, load, mutate, personName, Problem, time, trustedHtml } from "./ui";

export interface Viewer {
  /** The viewer's current role in the document's project, null when not a member. */
  role: Role | null;
  signedIn: boolean;
}

export const isWriter = (viewer: Viewer) => viewer.role === "CORE" || viewer.role === "COORDINATOR";

/** A document with its project (name, id, who is in it now). */
export type LoadedDocument = DocumentFull & { project: DocumentProject };

/** The document, and who is looking at it (their role in its project). */
export async function loadDocument(id: string): Promise<{ doc: LoadedDocument; viewer: Viewer }> {
  const data = await load<DocumentData>(DOCUMENT, { id });
  if (!data.document) throw new Problem(alertBox("document.missing"));
  const { project } = await load<DocumentProjectData>(DOCUMENT_PROJECT, {
    id: data.document.projectId,
  });
  if (!project) throw new Problem(alertBox("document.missing"));
  const me = data.me?.person?.id ?? data.me?.sub ?? null;
  const stint = project.members.find((m) => m.person.id === me);
  const doc = { ...data.document, project };
  return { doc, viewer: { role: stint?.role ?? null, signedIn: data.me !== null } };
}

/** The link back to the project and the document's kind and status. */
export function documentHeader(doc: LoadedDocument): HTMLElement {
  return h(
    "div",
    {},
    h("p", { class: "breadcrumb" }, h("a", { href: projectPath(doc.project.slug) }, doc.project.name)),
    h(
      "p",
      { class: "card__meta" },
      h("span", { msg: KIND_LABELS[doc.kind] }),
      " · ",
      h("span", { msg: DOC_STATUS_LABELS[doc.status] }),
    ),
  );
}

/** Sets the page's <h1> and title to the document's title (in the document's language). */
export function nameHeading(heading: HTMLElement, doc: LoadedDocument, setTitle: (t: string) => void) {
  heading.removeAttribute("data-i18n");
  heading.textContent = doc.title;
  heading.lang = doc.language;
  setTitle(doc.title);
}

function actions(doc: LoadedDocument, viewer: Viewer): HTMLElement {
  const path = (rest: string) => documentPath(doc.project.slug, doc.id, rest);
  return h(
    "ul",
    { class: "actions" },
    h("li", {}, h("a", { href: path("/history"), msg: "document.historyLink", vars: { count: doc.revisionCount } })),
    isWriter(viewer) ? h("li", {}, h("a", { href: path("/edit"), msg: "document.edit" })) : null,
    viewer.role === "SKILL" ? h("li", {}, h("a", { href: path("/edit"), msg: "document.propose" })) : null,
  );
}

function current(doc: LoadedDocument): HTMLElement {
  const revision = doc.current;
  if (!revision) return h("p", { msg: "document.empty" });
  return h(
    "section",
    { "aria-labelledby": "current-text" },
    h("h2", { id: "current-text", msg: "document.current" }),
    h(
      "p",
      { class: "card__meta" },
      h("span", { msg: "revision.by" }),
      " ",
      personName(revision.author),
      ", ",
      time(revision.createdAt),
      revision.message ? h("span", {}, " — ", revision.message) : null,
    ),
    h("div", { class: "prose", lang: doc.language }, ...trustedHtml(revision.html)),
  );
}

function proposal(doc: LoadedDocument, viewer: Viewer, p: Proposal, reload: () => Promise<void>): HTMLElement {
  const messages = h("div", { class: "form-messages" });
  const decide = isWriter(viewer)
    ? [
        actionButton("proposal.accept", async () => {
          const result = await mutate<AcceptData["acceptProposal"]>(messages, ACCEPT_PROPOSAL, { id: p.id }, (d) => d.acceptProposal);
          if (result?.__typename === "RevisionConflict") {
            messages.append(
              conflictView(result.current, p.body, doc.language),
              h("p", {}, h("a", { href: documentPath(doc.project.slug, doc.id, `/edit?proposal=${encodeURIComponent(p.id)}`), msg: "proposal.merge" })),
            );
          } else if (result) await reload();
        }),
        actionButton("proposal.decline", async () => {
          const result = await mutate<DeclineData["declineProposal"]>(messages, DECLINE_PROPOSAL, { id: p.id }, (d) => d.declineProposal);
          if (result) await reload();
        }),
      ]
    : [];
  return h(
    "li",
    { class: "card" },
    h("p", {}, h("span", { msg: "proposal.by" }), " ", personName(p.proposedBy), ", ", time(p.createdAt)),
    p.message ? h("p", {}, p.message) : null,
    h("details", {}, h("summary", { msg: "proposal.text" }), h("pre", { class: "source", lang: doc.language }, p.body)),
    messages,
    h("div", { class: "button-row" }, ...decide),
  );
}

function proposals(doc: LoadedDocument, viewer: Viewer, reload: () => Promise<void>): HTMLElement | null {
  const open = doc.proposals.filter((p) => p.status === "open");
  if (!open.length) return null;
  return h(
    "section",
    { "aria-labelledby": "proposals" },
    h("h2", { id: "proposals", msg: "proposal.title", vars: { count: open.length } }),
    h("ul", { class: "cards" }, ...open.map((p) => proposal(doc, viewer, p, reload))),
  );
}

export function documentPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "document.title",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "document.title" });
      const body = h("div", {});
      const status = h("div", { "aria-live": "polite" });
      main.append(heading, status, body);
      const render = (): Promise<void> =>
        fill(body, async () => {
          const { doc, viewer } = await loadDocument(params.id);
          nameHeading(heading, doc, setTitle);
          const reload = async () => {
            await render();
            status.replaceChildren(announce("document.updated"));
          };
          return [
            documentHeader(doc),
            actions(doc, viewer),
            proposals(doc, viewer, reload),
            current(doc),
            attachmentsSection(doc, viewer),
            commentsSection(doc, viewer, reload),
          ].filter((n): n is HTMLElement => n !== null);
        });
      void render();
    },
  };
}
