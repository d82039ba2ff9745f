// `/projects/:slug/documents/:id/history`: every revision, newest first, with a form to compare
// any two; and `…/diff?from=&to=`: the readable diff between them (HTML made by the server).
import { alertBox, attrMsg, h } from "../dom";
import { t } from "../i18n";
import { navigate, type Page, type RouteMatch } from "../router";
import { documentHeader, loadDocument, nameHeading, type LoadedDocument } from "./document";
import { documentPath, projectPath } from "./labels";
import { REVISION_DIFF, type DiffData, type RevisionSummary } from "./queries";
import { field, fill, load, personName, Problem, time, trustedHtml } from "./ui";

function revisionLabel(r: RevisionSummary): string {
  const when = new Date(r.createdAt).toLocaleString(document.documentElement.lang);
  const who = r.author.name ?? r.author.displayName ?? t("spaces.aMember");
  return `${when} — ${who}${r.message ? ` — ${r.message}` : ""}`;
}

function revisionSelect(id: string, revisions: RevisionSummary[], chosen: string | undefined) {
  return h("select", { id, name: id },
    ...revisions.map((r) => h("option", { value: r.id, selected: r.id === chosen }, revisionLabel(r))));
}

function compareForm(doc: LoadedDocument): HTMLElement {
  const [newest, previous] = doc.revisions;
  const from = revisionSelect("diff-from", doc.revisions, (previous ?? newest)?.id);
  const to = revisionSelect("diff-to", doc.revisions, newest?.id);
  return h(
    "form",
    {
      class: "form form--wide",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const params = new URLSearchParams({ from: from.value, to: to.value });
        navigate(documentPath(doc.project.slug, doc.id, `/diff?${params}`));
      },
    },
    h("h2", { msg: "history.compare" }),
    field(from, "history.from"),
    field(to, "history.to"),
    h("button", { type: "submit", class: "button", msg: "history.showDiff" }),
  );
}

function entry(doc: LoadedDocument, r: RevisionSummary): HTMLElement {
  const diff = r.parentId
    ? h("a", { href: documentPath(doc.project.slug, doc.id, `/diff?${new URLSearchParams({ from: r.parentId, to: r.id })}`), msg: "history.changes" })
    : h("span", { msg: "history.first" });
  return h(
    "li",
    { class: "card" },
    h("p", {}, time(r.createdAt), " — ", h("span", { msg: "revision.by" }), " ", personName(r.author)),
    r.message ? h("p", {}, r.message) : h("p", { class: "card__meta", msg: "history.noMessage" }),
    h("p", {}, diff),
  );
}

export function historyPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "history.title",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "history.title" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        const { doc } = await loadDocument(params.id);
        nameHeading(heading, doc, setTitle);
        return [
          documentHeader(doc),
          h("p", {}, h("a", { href: documentPath(doc.project.slug, doc.id), msg: "history.backToDocument" })),
          doc.revisions.length > 1 ? compareForm(doc) : null,
          h("h2", { msg: "history.revisions", vars: { count: doc.revisions.length } }),
          h("ol", { class: "cards", reversed: true }, ...doc.revisions.map((r) => entry(doc, r))),
        ].filter((n): n is HTMLElement => n !== null);
      });
    },
  };
}

function side(msg: "diff.from" | "diff.to", r: RevisionSummary): HTMLElement {
  return h("p", {}, h("strong", { msg }), " ", time(r.createdAt), " — ", personName(r.author), r.message ? ` — ${r.message}` : "");
}

export function diffPage({ params, query, setTitle }: RouteMatch): Page {
  return {
    title: "diff.title",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "diff.title" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        const from = query.get("from");
        const to = query.get("to");
        if (!from || !to) throw new Problem(alertBox("diff.choose"));
        // Unknown revisions (or two of different documents) are refused: "these do not exist".
        const diffOf = load<DiffData>(REVISION_DIFF, { from, to }).catch(() => ({ revisionDiff: null }));
        const [{ doc }, data] = await Promise.all([loadDocument(params.id), diffOf]);
        const diff = data.revisionDiff;
        if (!diff) throw new Problem(alertBox("diff.missing"));
        setTitle(`${doc.title} · ${t("diff.title")}`);
        const find = (id: string) => doc.revisions.find((r) => r.id === id);
        const [older, newer] = [find(diff.fromRevisionId), find(diff.toRevisionId)];
        const path = (rest = "") => documentPath(doc.project.slug, doc.id, rest);
        return [
          h("p", { class: "breadcrumb" },
            h("a", { href: projectPath(doc.project.slug) }, doc.project.name), " › ",
            h("a", { href: path(), lang: doc.language }, doc.title), " › ",
            h("a", { href: path("/history"), msg: "history.title" })),
          older ? side("diff.from", older) : null,
          newer ? side("diff.to", newer) : null,
          h("p", {}, h("span", { msg: "diff.added", vars: { count: diff.added } }), " ", h("span", { msg: "diff.removed", vars: { count: diff.removed } })),
          attrMsg(h("div", { class: "diff", role: "region", tabindex: "0", lang: doc.language }, ...trustedHtml(diff.html)), "aria-label", "diff.title"),
          h("details", {}, h("summary", { msg: "diff.unified" }), h("pre", { class: "source", lang: doc.language }, diff.unified)),
        ].filter((n): n is HTMLElement => n !== null);
      });
    },
  };
}
