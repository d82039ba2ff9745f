// `/calls/:id/apply?application=`: a coordinator's application to a call for one of their
// projects — title, summary, the request and its budget lines (checked live to add up), with the
// project's eligibility shown live. "Save draft" writes it (createApplication, then
// updateApplication); "Submit" saves and submits, when the server checks the call's rules:
// NotEligible names the unmet rule, CallClosed says the call takes none now, InvalidInput's
// errors show beside their fields. A draft is kept in the address, and found again from the
// project's applications without it.
import { alertBox, h } from "../dom";
import { tx } from "../i18n";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { actionButton, announce, fill, load, Problem } from "../spaces/ui";
import { FieldErrors, placeRefusal, send } from "./answers";
import { budgetLines } from "./budget-lines";
import { eligibilityView } from "./eligibility";
import { APPLICATION_STATUS_LABELS, callPath, isId } from "./labels";
import { amount, decimalOf } from "./money";
import {
  APPLICATION_QUERY,
  APPLY,
  CREATE_APPLICATION,
  SUBMIT_APPLICATION,
  UPDATE_APPLICATION,
  type Application,
  type ApplicationData,
  type ApplicationInput,
  type ApplicationResult,
  type ApplyData,
  type ApplyProject,
} from "./queries";

type ApplyCall = NonNullable<ApplyData["call"]>;

/** The project's application to this call, its draft too (nor withdrawn), if any: one
 * left without its address is found again. */
const standing = (project: ApplyProject | undefined, callId: string) =>
  project?.applications.nodes.find((a) => a.callId === callId && a.status !== "WITHDRAWN") ?? null;

async function applicationById(id: string, callId: string): Promise<Application | null> {
  const data = await load<ApplicationData>(APPLICATION_QUERY, { id });
  return data.application?.callId === callId ? data.application : null;
}

function applicationForm(call: ApplyCall, projects: ApplyProject[], start: Application | null): HTMLElement {
  let current = start;
  const errors = new FieldErrors();
  const project = h("select", { id: "application-project", name: "project" },
    ...projects.map((p) => h("option", { value: p.id, selected: p.id === start?.projectId }, p.name)));
  const title = h("input", { id: "application-title", name: "title", type: "text", maxlength: 200 });
  const summary = h("textarea", { id: "application-summary", name: "summary", rows: 5, maxlength: 10000 });
  const requested = h("input", { id: "application-requested", name: "requested", type: "text", inputmode: "decimal", autocomplete: "off", class: "input--short" });
  const lines = budgetLines(errors, requested, call.currency);
  const eligibility = eligibilityView(call.id);
  const state = h("p", { class: "grants-application-state" });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });

  const fillFrom = (a: Application | null) => {
    title.value = a?.title ?? "";
    summary.value = a?.summary ?? "";
    requested.value = a?.requested.amount ?? "";
    lines.set(a ? a.budgetLines.map((l) => ({ label: l.label, amount: l.amount.amount })) : []);
  };
  const showState = () => {
    state.replaceChildren(h("span", { msg: "grants.applicationStatus" }), ": ",
      h("strong", { msg: current ? APPLICATION_STATUS_LABELS[current.status] : "grants.notSaved" }));
    const editable = !current || current.status === "DRAFT" || current.status === "SUBMITTED";
    tx(saveButton, current?.status === "SUBMITTED" ? "grants.saveChanges" : "grants.saveDraft");
    saveButton.hidden = !editable;
    submitButton.hidden = !editable || current?.status === "SUBMITTED";
    project.disabled = current !== null;
    // The address names the application, so a reload finds a draft again.
    const path = `${callPath(call.id, "/apply")}${current ? `?application=${encodeURIComponent(current.id)}` : ""}`;
    if (location.pathname + location.search !== path) history.replaceState(history.state, "", path);
  };

  /** The input, or null after marking amounts that are not amounts. */
  const input = (): ApplicationInput | null => {
    errors.clear();
    const request = decimalOf(requested.value);
    const typed = lines.values();
    const amounts = typed.map((l) => decimalOf(l.amount));
    if (request === null) errors.mark("requested", "grants.badAmount");
    amounts.forEach((a, i) => a === null && errors.mark(`budgetLines.${i}.amount`, "grants.badAmount"));
    if (request === null || amounts.some((a) => a === null)) return null;
    return { title: title.value.trim(), summary: summary.value, requested: request, budgetLines: typed.map((l, i) => ({ label: l.label, amount: amounts[i]! })) };
  };

  const save = async (): Promise<boolean> => {
    const values = input();
    if (!values) {
      messages.replaceChildren(alertBox("grants.fixFields"));
      form.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return false;
    }
    const answer = current
      ? await send<ApplicationResult>(messages, UPDATE_APPLICATION, { id: current.id, input: values }, (d) => d.updateApplication)
      : await send<ApplicationResult>(messages, CREATE_APPLICATION, { callId: call.id, projectId: project.value, input: values }, (d) => d.createApplication);
    if (!answer) return false;
    if ("refused" in answer) {
      messages.append(placeRefusal(answer.refused, errors, call.currency));
      return false;
    }
    if (answer.ok.__typename !== "Application") return false;
    current = answer.ok;
    showState();
    void eligibility.check(current.projectId);
    return true;
  };

  const saveButton = actionButton("grants.saveDraft", async () => {
    if (await save()) messages.replaceChildren(announce(current?.status === "SUBMITTED" ? "grants.changesSaved" : "grants.draftSaved"));
  });
  const submitButton = actionButton("grants.submit", async () => {
    if (!(await save()) || !current) return;
    const answer = await send<ApplicationResult>(messages, SUBMIT_APPLICATION, { id: current.id }, (d) => d.submitApplication);
    void eligibility.check(current.projectId);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(placeRefusal(answer.refused, errors, call.currency));
    if (answer.ok.__typename !== "Application") return;
    current = answer.ok;
    const done = announce("grants.submittedNotice");
    done.tabIndex = -1;
    messages.replaceChildren(done);
    showState();
    done.focus(); // the submit button is gone
  });
  submitButton.className = "button";

  project.addEventListener("change", () => {
    void eligibility.check(project.value);
    const theirs = standing(projects.find((p) => p.id === project.value), call.id);
    if (!theirs) return;
    // The project applied already: its application is loaded to be changed, not a second one.
    void applicationById(theirs.id, call.id).then((a) => {
      if (!a || project.value !== a.projectId) return;
      current = a;
      fillFrom(a);
      showState();
    });
  });

  fillFrom(start);
  const form = h("form", { class: "form form--wide grants-apply", novalidate: true, onsubmit: (e: Event) => e.preventDefault() },
    errors.field("projectId", project, "grants.applyProject", "grants.applyProjectHelp"),
    eligibility.element,
    state,
    errors.field("title", title, "grants.applicationTitle"),
    errors.field("summary", summary, "grants.summary", "grants.summaryHelp"),
    errors.field("requested", requested, "grants.requested",
      h("span", {}, h("span", { msg: "grants.awardRange" }), ": ", amount(call.minAward), " – ", amount(call.maxAward), ". ", h("span", { msg: "grants.amountHelp" }))),
    lines.element,
    messages,
    h("div", { class: "button-row" }, saveButton, submitButton));
  showState();
  void eligibility.check(start?.projectId ?? project.value);
  return form;
}

export function applyPage({ params, query, setTitle }: RouteMatch): Page {
  return {
    title: "grants.applyTitle",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "grants.applyTitle" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        if (!isId(params.id)) throw new Problem(alertBox("grants.noCall"));
        if (!token()) throw new Problem(h("p", {}, h("a", { href: "/sign-in", msg: "grants.signIn" })));
        const data = await load<ApplyData>(APPLY, { id: params.id });
        const call = data.call;
        if (!call) throw new Problem(alertBox("grants.noCall"));
        if (!data.me) throw new Problem(alertBox("spaces.signInFirst"));
        tx(heading, "grants.applyHeading", { title: call.title });
        setTitle(heading.textContent ?? call.title);
        const back = h("p", { class: "breadcrumb" }, h("a", { href: callPath(call.id), msg: "grants.backToCall" }));
        if (call.status !== "open") return [back, h("p", { msg: "grants.notOpen" })];
        const me = data.me.person?.id ?? data.me.sub;
        const mine = data.projects.nodes.filter((p) => p.members.some((m) => m.person.id === me && m.role === "COORDINATOR"));
        if (!mine.length) return [back, h("p", { msg: "grants.noCoordinated" }), h("p", {}, h("a", { href: "/projects", msg: "hours.findProject" }))];
        const wanted = query.get("application");
        const byAddress = isId(wanted) ? await applicationById(wanted, call.id) : null;
        const theirs = byAddress ? null : mine.map((p) => standing(p, call.id)).find((a) => a !== null) ?? null;
        const start = byAddress ?? (theirs ? await applicationById(theirs.id, call.id) : null);
        return [back, h("p", { msg: "grants.applyIntro" }), applicationForm(call, mine, start)];
      });
    },
  };
}
