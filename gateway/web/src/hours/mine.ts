// `/hours/mine`: the signed-in person's entries, newest first, with their status (and the
// reason of a rejection); one still waiting for approval can be withdrawn.
import { alertBox, h } from "../dom";
import { tx } from "../i18n";
import type { Page } from "../router";
import { token } from "../session";
import { actionButton, announce, failedAlert, fill, load, mutate, Problem, time } from "../spaces/ui";
import { ACTIVITY_LABELS, duration, projectLink, projectNames, sourceNote, STATUS_LABELS, type ProjectName } from "./labels";
import { MY_HOURS, WITHDRAW_HOURS, type HourEntry, type MyHoursData, type WithdrawHoursData } from "./queries";

const PAGE_SIZE = 50;

function entryItem(entry: HourEntry, names: Map<string, ProjectName>): HTMLElement {
  const messages = h("div", { class: "form-messages" });
  const status = h("strong", { msg: STATUS_LABELS[entry.status] });
  const item = h("li", { class: "card" },
    h("h2", { class: "card__title", tabindex: "-1" }, time(entry.workedOn, "date"), " — ", duration(entry.minutes)),
    h("p", { class: "card__meta" }, projectLink(names, entry.projectId), " · ", h("span", { msg: ACTIVITY_LABELS[entry.activity] }), ...sourceNote(entry), " · ", status),
    entry.note ? h("p", {}, entry.note) : null,
    entry.status === "REJECTED" && entry.reason ? h("p", {}, h("span", { msg: "hours.reasonLabel" }), " ", entry.reason) : null,
    messages);
  if (entry.status === "SUBMITTED") {
    const withdraw = actionButton("hours.withdraw", async () => {
      const done = await mutate<WithdrawHoursData["withdrawHours"]>(messages, WITHDRAW_HOURS, { id: entry.id }, (d) => d.withdrawHours);
      if (!done) return;
      tx(status, STATUS_LABELS.WITHDRAWN);
      messages.replaceChildren(announce("hours.withdrawn"));
      withdraw.remove();
    });
    item.append(withdraw);
  }
  return item;
}

/** The page's entries at the end of `list`, their projects named. */
async function appendPage(list: HTMLElement, page: MyHoursData["myHours"]): Promise<void> {
  const names = await projectNames(page.nodes.map((e) => e.projectId));
  list.append(...page.nodes.map((e) => entryItem(e, names)));
}

/** "Older entries": the next page appended; the focus goes to its first entry. */
function moreButton(list: HTMLElement, pageInfo: MyHoursData["myHours"]["pageInfo"]): HTMLElement | null {
  if (!pageInfo.hasNextPage) return null;
  let after = pageInfo.endCursor;
  const messages = h("div", { class: "form-messages" });
  const more = actionButton("hours.older", async () => {
    messages.replaceChildren();
    try {
      const data = await load<MyHoursData>(MY_HOURS, { first: PAGE_SIZE, after });
      const first = list.children.length;
      await appendPage(list, data.myHours);
      list.children[first]?.querySelector<HTMLElement>("h2")?.focus();
      after = data.myHours.pageInfo.endCursor;
      if (!data.myHours.pageInfo.hasNextPage) box.remove();
    } catch (failure) {
      messages.append(failedAlert(failure, "spaces.loadFailed"));
    }
  });
  const box = h("div", {}, messages, more);
  return box;
}

export function myHoursPage(): Page {
  return {
    title: "hours.mineTitle",
    render(main) {
      const body = h("div", {});
      main.append(
        h("h1", { tabindex: "-1", msg: "hours.mineTitle" }),
        h("p", { class: "actions" }, h("a", { href: "/hours/log", msg: "hours.logLink" }), " · ", h("a", { href: "/hours/queue", msg: "hours.queueLink" })),
        body,
      );
      void fill(body, async () => {
        if (!token()) throw new Problem(h("p", {}, h("a", { href: "/sign-in", msg: "hours.signIn" })));
        const data = await load<MyHoursData>(MY_HOURS, { first: PAGE_SIZE });
        if (!data.myHours) throw new Problem(alertBox("spaces.signInFirst"));
        if (!data.myHours.nodes.length) return [h("p", { msg: "hours.mineNone" })];
        const list = h("ul", { class: "cards" });
        await appendPage(list, data.myHours);
        return [list, moreButton(list, data.myHours.pageInfo)].filter((n): n is HTMLElement => n !== null);
      });
    },
  };
}
