// `/hours/queue`: the entries the signed-in coordinator may decide, oldest first. Several are
// approved at once (one answer per entry: an entry another coordinator decided meanwhile says
// so, the rest are approved); one is rejected with a reason the logger sees.
import { alertBox, h } from "../dom";
import { tx } from "../i18n";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { announce, failedAlert, field, fill, isRefusal, load, mutate, Problem, refusalAlert, time } from "../spaces/ui";
import { graphql } from "../graphql";
import { ACTIVITY_LABELS, duration, projectLink, projectNames, sourceNote, STATUS_LABELS, type ProjectName } from "./labels";
import {
  APPROVAL_QUEUE,
  APPROVE_BATCH,
  REJECT_HOURS,
  type ApprovalQueueData,
  type ApproveBatchData,
  type EntryResult,
  type HourEntry,
  type RejectHoursData,
} from "./queries";

const PAGE_SIZE = 100;

interface Row {
  entry: HourEntry;
  item: HTMLElement;
  box: HTMLInputElement;
  messages: HTMLElement;
  status: HTMLElement;
}

/** The row once decided: its checkbox and reject form go, its new status shows. */
function decided(row: Row, result: EntryResult): void {
  if (isRefusal(result)) {
    row.messages.replaceChildren(refusalAlert(result));
    return;
  }
  tx(row.status, STATUS_LABELS[result.status]);
  row.status.hidden = false;
  row.box.checked = false;
  row.box.disabled = true;
  const form = row.item.querySelector("details");
  // The reject button goes with its form: the focus, if it was there, moves to the status.
  const hadFocus = form?.contains(document.activeElement) ?? false;
  form?.remove();
  if (hadFocus) row.status.focus();
}

function rejectForm(row: Row): HTMLElement {
  const reason = h("textarea", { id: `reason-${row.entry.id}`, name: "reason", rows: 2, maxlength: 2000, required: true });
  const reject = async (event: Event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      row.messages.replaceChildren(alertBox("hours.reasonNeeded"));
      reason.setAttribute("aria-invalid", "true");
      return reason.focus();
    }
    const result = await mutate<RejectHoursData["rejectHours"]>(row.messages, REJECT_HOURS, { id: row.entry.id, reason: reason.value.trim() }, (d) => d.rejectHours);
    if (result) decided(row, result);
  };
  return h("details", {},
    h("summary", { msg: "hours.rejectOpen" }),
    h("form", { class: "form", onsubmit: (e: Event) => void reject(e), novalidate: true },
      field(reason, "hours.reason", "hours.reasonHelp"),
      h("button", { type: "submit", class: "button button--danger", msg: "hours.reject" })));
}

function queueRow(entry: HourEntry, names: Map<string, ProjectName>): Row {
  const box = h("input", { id: `pick-${entry.id}`, name: "entry", type: "checkbox", value: entry.id });
  const who = entry.personName ? h("span", {}, entry.personName) : h("span", { msg: "spaces.aMember" });
  const status = h("strong", { role: "status", hidden: true, tabindex: "-1" });
  const messages = h("div", { class: "form-messages" });
  const item = h("li", { class: "card" },
    h("div", { class: "check" }, box,
      h("label", { for: box.id }, who, ", ", time(entry.workedOn, "date"), ", ", duration(entry.minutes))),
    h("p", { class: "card__meta" }, projectLink(names, entry.projectId), " · ", h("span", { msg: ACTIVITY_LABELS[entry.activity] }), ...sourceNote(entry)),
    entry.note ? h("p", {}, entry.note) : null,
    status,
    messages);
  const row = { entry, item, box, messages, status };
  item.append(rejectForm(row));
  return row;
}

async function approveSelected(rows: Row[], messages: HTMLElement): Promise<void> {
  const picked = rows.filter((r) => r.box.checked);
  if (!picked.length) return void messages.replaceChildren(alertBox("hours.noneSelected"));
  messages.replaceChildren();
  try {
    const { data, errors } = await graphql<ApproveBatchData>(APPROVE_BATCH, { ids: picked.map((r) => r.entry.id) });
    if (errors.length || !data) {
      console.warn(errors);
      return void messages.append(alertBox("spaces.actionFailed"));
    }
    let approved = 0;
    // One result per id, in the order sent.
    for (const [i, result] of data.approveHoursBatch.entries()) {
      const row = picked[i];
      if (!row) continue;
      decided(row, result);
      if (!isRefusal(result)) approved++;
    }
    messages.append(announce("hours.approvedCount", { count: approved }));
  } catch (failure) {
    messages.append(failedAlert(failure, "spaces.actionFailed"));
  }
}

function queue(entries: HourEntry[], names: Map<string, ProjectName>, more: boolean): Node[] {
  const rows = entries.map((e) => queueRow(e, names));
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  let busy = false;
  const approve = h("button", {
    type: "button",
    class: "button",
    msg: "hours.approveSelected",
    onclick: async () => {
      if (busy) return;
      busy = true;
      approve.setAttribute("aria-disabled", "true");
      await approveSelected(rows, messages);
      busy = false;
      approve.removeAttribute("aria-disabled");
    },
  });
  return [
    h("p", { msg: "hours.queueIntro" }),
    h("ul", { class: "cards" }, ...rows.map((r) => r.item)),
    messages,
    h("div", { class: "button-row" }, approve),
    more ? h("p", { msg: "hours.oldestOnly", vars: { count: PAGE_SIZE } }) : null,
  ].filter((n): n is NonNullable<typeof n> => n !== null);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/hours/queue?project=`: one project's queue when the address names one. */
export function approvalQueuePage({ query }: RouteMatch): Page {
  const project = query.get("project");
  const projectId = project && UUID.test(project) ? project : null;
  return {
    title: "hours.queueTitle",
    render(main) {
      const body = h("div", {});
      main.append(h("h1", { tabindex: "-1", msg: "hours.queueTitle" }), body);
      void fill(body, async () => {
        if (!token()) throw new Problem(h("p", {}, h("a", { href: "/sign-in", msg: "hours.signIn" })));
        const data = await load<ApprovalQueueData>(APPROVAL_QUEUE, { projectId, first: PAGE_SIZE });
        if (!data.approvalQueue) throw new Problem(alertBox("spaces.signInFirst"));
        const entries = data.approvalQueue.nodes;
        if (!entries.length) return [h("p", { msg: "hours.queueEmpty" })];
        const names = await projectNames(entries.map((e) => e.projectId));
        return queue(entries, names, data.approvalQueue.pageInfo.hasNextPage);
      });
    },
  };
}
