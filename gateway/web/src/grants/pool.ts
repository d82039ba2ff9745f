// The reviewer pool, on the calls page: a signed-in citizen joins it to be drawn by lot for the
// panels of calls that open from then on (a call's pool is frozen when it opens), and may leave
// it again. Their pool entry's id is what the published draw shows — never who they are.
import { h } from "../dom";
import { token } from "../session";
import { actionButton, announce, time } from "../spaces/ui";
import { grantsRefusalAlert, send } from "./answers";
import { JOIN_POOL, LEAVE_POOL, type PoolEntry, type PoolEntryResult } from "./queries";

export function poolSection(entry: PoolEntry | null): HTMLElement | null {
  if (!token()) return null;
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const state = h("div", {});
  const section = h("section", { "aria-labelledby": "reviewer-pool", class: "grants-pool-section" },
    h("h2", { id: "reviewer-pool", msg: "grants.pool.title" }),
    h("p", { msg: "grants.pool.intro" }),
    state, messages);
  const show = (current: PoolEntry | null) => {
    const button = current
      ? actionButton("grants.pool.leave", () => act(LEAVE_POOL, "leaveReviewerPool", null, "grants.pool.left"))
      : actionButton("grants.pool.join", () => act(JOIN_POOL, "joinReviewerPool", "in", "grants.pool.joined"));
    if (!current) button.className = "button";
    state.replaceChildren(
      current
        ? h("p", { class: "grants-pool-state" }, h("span", { msg: "grants.pool.inSince" }), " ", time(current.joinedAt, "date"),
            " · ", h("span", { msg: "grants.pool.entry" }), " ", h("code", { class: "grants-hash" }, current.id))
        : h("p", { class: "grants-pool-state", msg: "grants.pool.notIn" }),
      h("div", { class: "button-row" }, button));
  };
  const act = async (query: string, field: string, after: "in" | null, done: "grants.pool.joined" | "grants.pool.left") => {
    const answer = await send<PoolEntryResult>(messages, query, {}, (d) => d[field]);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(grantsRefusalAlert(answer.refused));
    const ok = answer.ok as PoolEntry;
    show(after ? ok : null);
    messages.replaceChildren(announce(done));
  };
  show(entry);
  return section;
}
