// `/projects/:slug`: a project's public home — summary, status, members by role (with the
// dates they joined and left), join/leave, its documents and the sites it stewards.
import { alertBox, h } from "../dom";
import type { MessageKey } from "../i18n";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { hoursOf, hoursPath } from "../hours/labels";
import { newDocumentForm } from "./new-document";
import { documentPath, DOC_STATUS_LABELS, KIND_LABELS, projectKey, ROLE_HEADINGS, STATUS_LABELS } from "./labels";
import {
  JOIN_PROJECT,
  LEAVE_PROJECT,
  PROJECT,
  PROJECT_SITES,
  ROLES,
  type JoinData,
  type LeaveData,
  type Membership,
  type ProjectData,
  type ProjectFull,
  type ProjectSitesData,
  type Role,
  type StewardedSite,
} from "./queries";
import { actionButton, fill, load, mutate, personName, Problem, time } from "./ui";

const YOU_ARE: Record<Role, MessageKey> = {
  COORDINATOR: "project.youAre.coordinator",
  CORE: "project.youAre.core",
  SKILL: "project.youAre.skill",
};
/** "since 3 May 2024", or "from 3 May 2024 until 1 June 2025" once it ended. */
function dates(start: string, end: string | null): HTMLElement {
  return end
    ? h("span", {}, h("span", { msg: "members.from" }), " ", time(start, "date"), " ", h("span", { msg: "members.until" }), " ", time(end, "date"))
    : h("span", {}, h("span", { msg: "members.since" }), " ", time(start, "date"));
}

function stint(m: Membership): HTMLElement {
  return h("li", {}, personName(m.person), " — ", dates(m.joinedOn, m.leftOn));
}

function members(project: ProjectFull): HTMLElement {
  const current = project.members.filter((m) => !m.leftOn);
  const former = project.members.filter((m) => m.leftOn);
  return h(
    "section",
    { "aria-labelledby": "members" },
    h("h2", { id: "members", msg: "members.title", vars: { count: current.length } }),
    ...ROLES.map((role) => {
      const people = current.filter((m) => m.role === role);
      return h(
        "div",
        {},
        h("h3", { msg: ROLE_HEADINGS[role] }),
        people.length ? h("ul", {}, ...people.map(stint)) : h("p", { msg: "members.none" }),
      );
    }),
    former.length
      ? h("div", {}, h("h3", { msg: "members.former" }), h("ul", {}, ...former.map(stint)))
      : null,
  );
}

function documents(project: ProjectFull): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "documents" },
    h("h2", { id: "documents", msg: "documents.title", vars: { count: project.documents.length } }),
    project.documents.length
      ? h(
          "ul",
          { class: "cards" },
          ...project.documents.map((d) =>
            h(
              "li",
              { class: "card" },
              h("h3", {}, h("a", { href: documentPath(project.slug, d.id), lang: d.language }, d.title)),
              h(
                "p",
                { class: "card__meta" },
                h("span", { msg: KIND_LABELS[d.kind] }),
                " · ",
                h("span", { msg: DOC_STATUS_LABELS[d.status] }),
                " · ",
                time(d.updatedAt),
              ),
            ),
          ),
        )
      : h("p", { msg: "documents.none" }),
  );
}

/** The sites it stewards and has stewarded, with the dates: commons' answer, in a query of
 * its own, so the page stands (saying so) when commons does not answer. */
function sitesSection(project: ProjectFull): HTMLElement {
  const list = h("div", {});
  void fill(list, async () => {
    const data = await load<ProjectSitesData>(PROJECT_SITES, { id: project.id });
    const sites = data.project?.sites ?? [];
    if (!sites.length) return [h("p", { msg: "project.noSites" })];
    const link = (s: StewardedSite) =>
      h("li", {}, h("a", { href: `/map?site=${encodeURIComponent(s.id)}` }, s.name), " — ", dates(s.startsOn, s.endsOn));
    return [h("ul", {}, ...sites.map(link))];
  }, "project.sitesFailed");
  return h(
    "section",
    { "aria-labelledby": "sites" },
    h("h2", { id: "sites", msg: "project.sites" }),
    list,
  );
}

export function projectPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "project.title",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "project.title" });
      const body = h("div", {});
      main.append(heading, body);
      const render = () =>
        fill(body, async () => {
          const key = projectKey(params.slug);
          if (!key) throw new Problem(alertBox("project.missing"));
          const data = await load<ProjectData>(PROJECT, key);
          const project = data.project;
          if (!project) throw new Problem(alertBox("project.missing"));
          heading.removeAttribute("data-i18n");
          heading.textContent = project.name;
          setTitle(project.name);
          const me = data.me?.person?.id ?? data.me?.sub ?? null;
          const mine = project.members.find((m) => m.person.id === me && !m.leftOn) ?? null;
          return [
            h("p", { class: "card__meta" }, h("span", { msg: "project.statusLabel" }), " ", h("strong", { msg: STATUS_LABELS[project.status] })),
            project.summary ? h("p", { class: "lead" }, project.summary) : null,
            h("p", { msg: "project.hours", vars: { count: hoursOf(project.hoursTotal.minutes) } }),
            hoursLinks(project, mine),
            membership(project, mine, render),
            members(project),
            documents(project),
            mine && (mine.role === "CORE" || mine.role === "COORDINATOR") ? newDocumentForm(project) : null,
            sitesSection(project),
          ].filter((n): n is HTMLElement => n !== null);
        });
      void render();
    },
  };
}

/** The project's hours by month (public) and, for a member, logging theirs. */
function hoursLinks(project: ProjectFull, mine: Membership | null): HTMLElement {
  return h(
    "ul",
    { class: "actions" },
    h("li", {}, h("a", { href: hoursPath(project.slug), msg: "hours.projectLink" })),
    mine ? h("li", {}, h("a", { href: `/hours/log?project=${encodeURIComponent(project.id)}`, msg: "hours.logForProject" })) : null,
    mine?.role === "COORDINATOR"
      ? h("li", {}, h("a", { href: `/hours/queue?project=${encodeURIComponent(project.id)}`, msg: "hours.queueLink" }))
      : null,
  );
}

/** After a join or leave the page is re-drawn: the focus goes to the new button. */
const focusMembership = () => document.querySelector<HTMLElement>(".membership button")?.focus();

/** Join the skill group, or leave (the history keeps the stint). */
function membership(project: ProjectFull, mine: Membership | null, reload: () => Promise<void>): HTMLElement {
  const messages = h("div", { class: "form-messages" });
  if (!token()) {
    return h("p", {}, h("a", { href: "/sign-in", msg: "project.signInToJoin" }));
  }
  const button = mine
    ? actionButton("project.leave", async () => {
        const left = await mutate<LeaveData["leaveProject"]>(messages, LEAVE_PROJECT, { projectId: project.id }, (d) => d.leaveProject);
        if (left) await reload().then(focusMembership);
      })
    : actionButton("project.join", async () => {
        const joined = await mutate<JoinData["joinProject"]>(messages, JOIN_PROJECT, { projectId: project.id }, (d) => d.joinProject);
        if (joined) await reload().then(focusMembership);
      });
  return h(
    "div",
    { class: "membership" },
    mine?.role ? h("p", { msg: YOU_ARE[mine.role] }) : h("p", { msg: "project.joinHelp" }),
    messages,
    button,
  );
}
