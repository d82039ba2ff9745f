// A grant officer's part of a call's page: publish a draft, close an open call, draw its panel
// by lot or seat someone on it (then see who sits on it), decide a closed call, and the award
// screen — each submitted application awarded (its request, or less) or rejected, and each
// award paid out or its unspent money released, into the public ledger. A refusal shows its
// typed result (BudgetExceeded with what is left of the budget).
import { alertBox, h } from "../dom";
import type { MessageKey } from "../i18n";
import { actionButton, announce, fill, load, Problem } from "../spaces/ui";
import { FieldErrors, grantsRefusalAlert, placeRefusal, send } from "./answers";
import { APPLICATION_STATUS_LABELS, callPath } from "./labels";
import { amount, decimalOf, fromCents, centsOf } from "./money";
import { panelTable } from "./draw";
import {
  ASSIGN_REVIEWER,
  AWARD_APPLICATION,
  CALL_APPLICATIONS,
  CALL_REMAINING,
  CLOSE_CALL,
  DECIDE_CALL,
  DRAW_PANEL,
  PUBLISH_CALL,
  RECORD_PAYMENT,
  REJECT_APPLICATION,
  type Application,
  type ApplicationResult,
  type CallApplicationsData,
  type CallRemainingData,
  type CallResult,
  type FullCall,
  type Money,
  type PanelResult,
  type PaymentResult,
} from "./queries";

/** After an action the page is drawn again; the notice says what was done and takes the focus
 * (the button pressed is gone). */
function done(notices: HTMLElement, reload: () => Promise<void>, msg: MessageKey): Promise<void> {
  return reload().then(() => {
    const notice = announce(msg);
    notice.tabIndex = -1;
    notices.replaceChildren(notice);
    notice.focus();
  });
}

/** Where an action's answer goes: a refusal into `messages`; after a success the page is drawn
 * again (`reload`) and `notices` says what was done. */
interface Actions {
  call: FullCall;
  messages: HTMLElement;
  notices: HTMLElement;
  reload: () => Promise<void>;
}

/** publishCall, closeCall or decideCall, as a button. */
function callAction(a: Actions, label: MessageKey, query: string, field: string, doneMsg: MessageKey) {
  return actionButton(label, async () => {
    const answer = await send<CallResult>(a.messages, query, { id: a.call.id }, (d) => d[field]);
    if (!answer) return;
    if ("refused" in answer) return void a.messages.append(grantsRefusalAlert(answer.refused, a.call.currency));
    await done(a.notices, a.reload, doneMsg);
  });
}

function drawButton(a: Actions) {
  return actionButton("grants.drawPanel", async () => {
    const answer = await send<PanelResult>(a.messages, DRAW_PANEL, { callId: a.call.id }, (d) => d.drawPanel);
    if (!answer) return;
    if ("refused" in answer) return void a.messages.append(grantsRefusalAlert(answer.refused));
    await done(a.notices, a.reload, "grants.panelDrawn");
  });
}

/** `moneyChanged`: told what is left of the budget after each award (the page shows it elsewhere
 * too: the terms and the ledger). */
export function officerSection(call: FullCall, notices: HTMLElement, reload: () => Promise<void>, moneyChanged: (remaining: Money) => void): HTMLElement {
  const messages = h("div", { class: "form-messages" });
  const a: Actions = { call, messages, notices, reload };
  const canDraw = call.mode !== "VOTE" && (call.status === "open" || call.status === "closed") && call.draw?.drawn === false;
  const buttons = [
    call.status === "draft" ? h("a", { href: callPath(call.id, "/edit"), class: "button button--secondary", msg: "grants.editLink" }) : null,
    call.status === "draft" ? callAction(a, "grants.publish", PUBLISH_CALL, "publishCall", "grants.published") : null,
    canDraw ? drawButton(a) : null,
    call.status === "open" ? callAction(a, "grants.close", CLOSE_CALL, "closeCall", "grants.closed") : null,
    call.status === "closed" ? callAction(a, "grants.decide", DECIDE_CALL, "decideCall", "grants.decided") : null,
  ].filter((n) => n !== null) as HTMLElement[];
  return h("section", { "aria-labelledby": "call-officer", class: "grants-officer" },
    h("h2", { id: "call-officer", msg: "grants.officerTitle" }),
    call.status === "closed" ? h("p", { msg: "grants.decideHelp" }) : null,
    messages,
    buttons.length ? h("div", { class: "button-row" }, ...buttons) : null,
    call.mode !== "VOTE" ? h("h3", { msg: "grants.panel.title" }) : null,
    call.mode !== "VOTE" ? panelTable(call.panel, true) : null,
    call.mode !== "VOTE" && (call.status === "open" || call.status === "closed") ? assignForm(a) : null,
    call.status === "closed" || call.status === "decided" ? awardScreen(call, moneyChanged) : null);
}

/** Seat a person on the panel by their person id (as the officer knows it from the people
 * directory): for a panel the pool cannot fill, or a needed expertise. */
function assignForm(a: Actions): HTMLElement {
  const errors = new FieldErrors();
  const person = h("input", { id: "assign-person", name: "personId", type: "text", autocomplete: "off", maxlength: 255 });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const seat = actionButton("grants.panel.assign", async () => {
    errors.clear();
    const personId = person.value.trim();
    if (!personId) {
      errors.mark("personId", "grants.panel.personNeeded");
      return void person.focus();
    }
    const answer = await send<PanelResult>(messages, ASSIGN_REVIEWER, { callId: a.call.id, personId }, (d) => d.assignReviewer);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(placeRefusal(answer.refused, errors));
    await done(a.notices, a.reload, "grants.panel.seated");
  });
  return h("div", { class: "grants-assign" },
    h("h4", { msg: "grants.panel.assignTitle" }),
    errors.field("personId", person, "grants.panel.personId", "grants.panel.personIdHelp"),
    messages,
    h("div", { class: "button-row" }, seat));
}

// ---- The award screen ---------------------------------------------------------------------

function decisionLine(application: Application): HTMLElement {
  return h("p", { class: "grants-decision", tabindex: "-1" },
    h("span", { msg: "grants.applicationStatus" }), ": ",
    h("strong", { msg: APPLICATION_STATUS_LABELS[application.status] }),
    application.awarded ? h("span", {}, " — ", amount(application.awarded)) : null);
}

function awardForm(application: Application, currency: string, onDecided: () => void): HTMLElement {
  const id = application.id;
  const errors = new FieldErrors();
  const amountInput = h("input", { id: `award-${id}`, name: "amount", type: "text", inputmode: "decimal", value: application.requested.amount, class: "input--short" });
  const note = h("textarea", { id: `award-note-${id}`, name: "note", rows: 2, maxlength: 2000 });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const status = h("div", {});
  const item = h("li", { class: "card grants-award" });
  const settle = (result: Application) => {
    form.remove();
    status.replaceChildren(decisionLine(result));
    (status.firstElementChild as HTMLElement).focus();
    if (result.status === "AWARDED") item.append(paymentForm(result, currency, onDecided));
    onDecided();
  };
  const award = actionButton("grants.award", async () => {
    errors.clear();
    const value = decimalOf(amountInput.value);
    if (value === null) {
      errors.mark("amount", "grants.badAmount");
      return void amountInput.focus();
    }
    const answer = await send<ApplicationResult>(messages, AWARD_APPLICATION, { id, amount: value, note: note.value.trim() }, (d) => d.awardApplication);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(placeRefusal(answer.refused, errors, currency));
    if (answer.ok.__typename === "Application") settle(answer.ok);
  });
  award.className = "button";
  const reject = actionButton("grants.reject", async () => {
    const answer = await send<ApplicationResult>(messages, REJECT_APPLICATION, { id, note: note.value.trim() }, (d) => d.rejectApplication);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(grantsRefusalAlert(answer.refused, currency));
    if (answer.ok.__typename === "Application") settle(answer.ok);
  });
  reject.className = "button button--danger";
  const form = h("div", { class: "grants-award__form" },
    errors.field("amount", amountInput, "grants.awardAmount", "grants.awardAmountHelp"),
    errors.field("note", note, "grants.decisionNote"),
    h("div", { class: "button-row" }, award, reject));
  item.append(
    h("h4", {}, application.title),
    h("p", { class: "card__meta" }, application.projectName ?? h("span", { msg: "hours.aProject" }), " · ", h("span", { msg: "grants.requested" }), " ", amount(application.requested)),
    status, messages, form);
  status.replaceChildren(decisionLine(application));
  if (application.status !== "SUBMITTED") form.remove();
  if (application.status === "AWARDED") item.append(paymentForm(application, currency, onDecided));
  return item;
}

// ---- Payments: an award paid out, or its unspent money released -----------------------------

function leftOf(application: Application): bigint {
  if (!application.awarded) return 0n;
  return centsOf(application.awarded) - centsOf(application.disbursed) - centsOf(application.released);
}

function paidLine(application: Application, currency: string): HTMLElement {
  const money = (value: bigint) => amount({ amount: fromCents(value), currency });
  return h("p", { class: "grants-paid" },
    h("span", { msg: "grants.disbursed" }), ": ", money(centsOf(application.disbursed)), " · ",
    h("span", { msg: "grants.released" }), ": ", money(centsOf(application.released)), " · ",
    h("span", { msg: "grants.payment.left" }), ": ", money(leftOf(application)));
}

/** What is left of an award, paid out or released (neither may exceed it: the service says so
 * as a refusal). The numbers and the ledger are drawn again after each entry. */
function paymentForm(application: Application, currency: string, onPaid: () => void): HTMLElement {
  const id = application.id;
  const errors = new FieldErrors();
  const wrap = h("div", { class: "grants-payment" });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const line = h("div", {});
  let current = application;
  const amountInput = h("input", { id: `pay-${id}`, name: "amount", type: "text", inputmode: "decimal", class: "input--short" });
  const kind = h("select", { id: `pay-kind-${id}`, name: "kind" },
    h("option", { value: "DISBURSED", msg: "grants.payment.disbursed" }),
    h("option", { value: "RELEASED", msg: "grants.payment.released" }));
  const note = h("textarea", { id: `pay-note-${id}`, name: "note", rows: 2, maxlength: 2000 });
  const form = h("div", { class: "grants-payment__form" });
  const redraw = () => {
    line.replaceChildren(paidLine(current, currency));
    amountInput.value = fromCents(leftOf(current));
    if (leftOf(current) <= 0n) form.remove();
  };
  const record = actionButton("grants.payment.record", async () => {
    errors.clear();
    const value = decimalOf(amountInput.value);
    if (value === null || centsOf(value) <= 0n) {
      errors.mark("amount", "grants.badAmount");
      return void amountInput.focus();
    }
    const input = { applicationId: id, kind: kind.value, amount: value, note: note.value.trim() };
    const answer = await send<PaymentResult>(messages, RECORD_PAYMENT, { callId: application.callId, input }, (d) => d.recordPayment);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(placeRefusal(answer.refused, errors, currency));
    const cents = centsOf(value);
    const field = kind.value === "DISBURSED" ? "disbursed" : "released";
    current = { ...current, [field]: { amount: fromCents(centsOf(current[field]) + cents), currency } };
    note.value = "";
    redraw();
    messages.replaceChildren(announce(field === "disbursed" ? "grants.payment.recordedPaid" : "grants.payment.recordedReleased"));
    onPaid();
  });
  record.className = "button";
  form.append(
    h("h5", { msg: "grants.payment.title" }),
    errors.field("kind", kind, "grants.payment.kind"),
    errors.field("amount", amountInput, "grants.payment.amount", "grants.payment.amountHelp"),
    errors.field("note", note, "grants.decisionNote"),
    h("div", { class: "button-row" }, record));
  wrap.append(line, messages, form);
  redraw();
  return wrap;
}

/** Every application but withdrawn ones, in the order they were submitted (the API's): a
 * decision never moves a row under the officer's hands. */
function awardScreen(call: FullCall, moneyChanged: (remaining: Money) => void): HTMLElement {
  const region = h("div", {});
  const remaining = h("p", { class: "grants-award__remaining", "aria-live": "polite" });
  const showRemaining = (value: string) =>
    remaining.replaceChildren(h("span", { msg: "grants.remaining" }), ": ", amount({ amount: value, currency: call.currency }));
  showRemaining(call.remaining.amount);
  /** What is left after a decision: asked again (another officer may award at the same time). */
  const refresh = () => {
    void load<CallRemainingData>(CALL_REMAINING, { id: call.id })
      .then((data) => {
        if (!data.call) return;
        showRemaining(data.call.remaining.amount);
        moneyChanged(data.call.remaining);
      })
      .catch(() => undefined);
  };
  /** A page of applications as award forms, and a button for the next page (a call takes up
   * to a thousand, and is decided only once every one is). */
  const page = async (list: HTMLElement, after: string | null): Promise<HTMLElement | null> => {
    const data = await load<CallApplicationsData>(CALL_APPLICATIONS, { id: call.id, after });
    if (!data.call) throw new Problem(alertBox("grants.noCall"));
    const { nodes, pageInfo } = data.call.applications;
    const forms = nodes.filter((a) => a.status !== "WITHDRAWN").map((a) => awardForm(a, call.currency, refresh));
    list.append(...forms);
    if (!pageInfo.hasNextPage) return null;
    const more = actionButton("grants.moreApplications", async () => {
      const shown = list.children.length;
      const next = await page(list, pageInfo.endCursor);
      more.replaceWith(...(next ? [next] : []));
      // The button is gone: the focus goes to the first new application's first field.
      list.children[shown]?.querySelector<HTMLElement>("input, select, textarea")?.focus();
    });
    return more;
  };
  void fill(region, async () => {
    // What the submitted applications ask for in all: from the ranking, which holds every one.
    const asked = call.ranking.applications.filter((a) => a.status === "SUBMITTED").reduce((sum, a) => sum + centsOf(a.requested), 0n);
    const list = h("ul", { class: "cards" });
    const more = await page(list, null);
    if (!list.children.length && !more) return [h("p", { msg: "grants.noApplications" })];
    return [
      h("p", {}, h("span", { msg: "grants.askedTotal" }), " ", amount({ amount: fromCents(asked), currency: call.currency })),
      list,
      more,
    ].filter((n): n is HTMLElement => n !== null);
  });
  const heading = h("h3", { msg: "grants.awardTitle" });
  return h("div", { class: "grants-award-screen" }, heading, h("p", { msg: "grants.awardIntro" }), remaining, region);
}
