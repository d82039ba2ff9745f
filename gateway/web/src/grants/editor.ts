// `/calls/new` and `/calls/:id/edit`: the call editor (grant officers) — every field of
// CreateCallInput: title, description, currency and amounts, dates, how it decides (panel
// criteria and scale, the ballot and who votes), and who may apply. Fields that do not apply
// to the chosen mode or ballot are hidden and not sent. A draft is saved with createCall or
// updateCall; refused fields show their errors beside them.
import { alertBox, h } from "../dom";
import { tx, type MessageKey } from "../i18n";
import { navigate, type Page, type RouteMatch } from "../router";
import { token } from "../session";
import { fill, load, Problem } from "../spaces/ui";
import { today } from "../hours/log";
import { FieldErrors, placeRefusal, send } from "./answers";
import { criteriaRows, type CriteriaRows } from "./criteria";
import { BALLOT_LABELS, callPath, isId, MODE_LABELS, VOTER_RULE_LABELS } from "./labels";
import { decimalOf } from "./money";
import {
  BALLOT_KINDS,
  CALL_TERMS,
  CREATE_CALL,
  DISTRICTS,
  isOfficer,
  MODES,
  UPDATE_CALL,
  VOTER_RULES,
  type CallResult,
  type CallTerms,
  type CallTermsData,
  type DistrictsData,
} from "./queries";

type Districts = DistrictsData["districts"]["nodes"];
const DAYS_OPEN = 30;

function inDays(days: number): string {
  const date = new Date(`${today()}T12:00:00`);
  date.setDate(date.getDate() + days);
  return date.toLocaleDateString("sv"); // YYYY-MM-DD
}

const text = (id: string, value = "", more: Record<string, string | number | boolean> = {}) =>
  h("input", { id, name: id, type: "text", value, ...more });
const decimal = (id: string, value = "") => text(id, value, { inputmode: "decimal", class: "input--short", autocomplete: "off" });
const whole = (id: string, value: number | null, min: number, max: number) =>
  h("input", { id, name: id, type: "number", min, max, step: 1, value: value === null ? "" : String(value), class: "input--short" });
function choice<T extends string>(id: string, options: [T, MessageKey][], value: T) {
  return h("select", { id, name: id }, ...options.map(([v, msg]) => h("option", { value: v, selected: v === value, msg })));
}
const optionalInt = (input: HTMLInputElement) => (input.value.trim() === "" ? null : Number(input.value));

/** The editor's controls, preset from the call (or a new call's defaults: open today, for 30
 * days, a panel of 3 scoring 0 to 5). */
function controls(call: CallTerms | null, districts: Districts) {
  const c = {
    title: text("call-title", call?.title ?? "", { maxlength: 200, required: true }),
    description: h("textarea", { id: "call-description", name: "description", rows: 6, maxlength: 20000 }),
    currency: text("call-currency", call?.currency ?? "EUR", { maxlength: 3, class: "input--short", autocomplete: "off" }),
    budget: decimal("call-budget", call?.budget.amount),
    minAward: decimal("call-min-award", call?.minAward.amount),
    maxAward: decimal("call-max-award", call?.maxAward.amount),
    opensOn: h("input", { id: "call-opens-on", name: "opensOn", type: "date", value: call?.opensOn ?? today() }),
    closesOn: h("input", { id: "call-closes-on", name: "closesOn", type: "date", value: call?.closesOn ?? inDays(DAYS_OPEN) }),
    mode: choice("call-mode", MODES.map((m) => [m, MODE_LABELS[m]]), call?.mode ?? "PANEL"),
    voteWeight: decimal("call-vote-weight", call && call.mode === "BOTH" ? call.voteWeight : "0.5"),
    scaleMin: whole("call-scale-min", call?.scaleMin ?? 0, 0, 100),
    scaleMax: whole("call-scale-max", call?.scaleMax ?? 5, 1, 100),
    panelSize: whole("call-panel-size", call?.panelSize ?? 3, 1, 50),
    ballotKind: choice("call-ballot-kind", BALLOT_KINDS.map((k) => [k, BALLOT_LABELS[k]]), call?.ballotKind ?? "APPROVAL"),
    ballotPoints: whole("call-ballot-points", call?.ballotPoints ?? 10, 1, 1000),
    ballotMaxChoices: whole("call-ballot-max-choices", call?.ballotMaxChoices ?? 3, 1, 100),
    voterRule: choice("call-voter-rule", VOTER_RULES.map((r) => [r, VOTER_RULE_LABELS[r]]), call?.voterRule ?? "CITIZEN"),
    voterClaim: text("call-voter-claim", call?.voterClaim ?? "", { maxlength: 64, autocomplete: "off" }),
    voterClaimValue: text("call-voter-claim-value", call?.voterClaimValue ?? "", { maxlength: 200, autocomplete: "off" }),
    minMembers: whole("call-min-members", call?.minMembers ?? null, 1, 10000),
    minHours: whole("call-min-hours", call?.minHours ?? null, 1, 1000000),
    district: h("select", { id: "call-district", name: "districtId" },
      h("option", { value: "", msg: "grants.anyDistrict" }),
      ...districts.map((d) => h("option", { value: d.id, selected: d.id === call?.districtId }, d.name))),
  };
  c.description.value = call?.description ?? "";
  return c;
}
type Controls = ReturnType<typeof controls>;

/** The form's parts, labelled, with the fields only some modes or ballots use shown for those. */
function sections(c: Controls, errors: FieldErrors, criteria: CriteriaRows): HTMLElement[] {
  const f = (path: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, label: MessageKey, hint?: MessageKey) =>
    errors.field(path, control, label, hint);
  const fieldset = (legend: MessageKey, ...parts: HTMLElement[]) => h("fieldset", { class: "fieldset" }, h("legend", { msg: legend }), ...parts);
  const pair = (...parts: HTMLElement[]) => h("div", { class: "duration" }, ...parts);
  const voteWeight = f("voteWeight", c.voteWeight, "grants.voteWeight", "grants.voteWeightHelp");
  const points = f("ballotPoints", c.ballotPoints, "grants.ballotPoints");
  const maxChoices = f("ballotMaxChoices", c.ballotMaxChoices, "grants.ballotMaxChoices");
  const claim = h("div", {}, f("voterClaim", c.voterClaim, "grants.voterClaim", "grants.voterClaimHelp"), f("voterClaimValue", c.voterClaimValue, "grants.voterClaimValue"));
  const panel = fieldset("grants.panelPart", criteria.element,
    pair(f("scaleMin", c.scaleMin, "grants.scaleMin"), f("scaleMax", c.scaleMax, "grants.scaleMax")),
    f("panelSize", c.panelSize, "grants.panelSize", "grants.panelSizeHelp"));
  const vote = fieldset("grants.votePart", f("ballotKind", c.ballotKind, "grants.ballotKind"), points, maxChoices, f("voterRule", c.voterRule, "grants.voters"), claim);
  const shown = () => {
    voteWeight.hidden = c.mode.value !== "BOTH";
    panel.hidden = c.mode.value === "VOTE";
    vote.hidden = c.mode.value === "PANEL";
    points.hidden = c.ballotKind.value !== "POINTS";
    maxChoices.hidden = c.ballotKind.value !== "APPROVAL";
    claim.hidden = c.voterRule.value !== "CLAIM";
  };
  [c.mode, c.ballotKind, c.voterRule].forEach((s) => s.addEventListener("change", shown));
  shown();
  return [
    f("title", c.title, "grants.callName"),
    f("description", c.description, "grants.description", "grants.descriptionHelp"),
    fieldset("grants.money", f("currency", c.currency, "grants.currency", "grants.currencyHelp"), f("budget", c.budget, "grants.budget", "grants.amountHelp"),
      pair(f("minAward", c.minAward, "grants.minAward"), f("maxAward", c.maxAward, "grants.maxAward"))),
    fieldset("grants.dates", pair(f("opensOn", c.opensOn, "grants.opensOn"), f("closesOn", c.closesOn, "grants.closesOn"))),
    f("mode", c.mode, "grants.mode", "grants.modeHelp"),
    voteWeight,
    panel,
    vote,
    fieldset("grants.eligibility", f("minMembers", c.minMembers, "grants.minMembers", "grants.optional"),
      f("minHours", c.minHours, "grants.minHours", "grants.optional"), f("districtId", c.district, "grants.district")),
  ];
}

/** Amounts as the API's decimals (a comma is a decimal point too); null when one is not an
 * amount, after marking it. An empty amount is sent as null: the server says it is needed. */
function amountsOf(c: Controls, errors: FieldErrors): Record<string, string | null> | null {
  const amounts: Record<string, string | null> = {};
  let bad: HTMLInputElement | null = null;
  for (const [name, control] of Object.entries({ budget: c.budget, minAward: c.minAward, maxAward: c.maxAward })) {
    const typed = control.value.trim();
    amounts[name] = typed ? decimalOf(typed) : null;
    if (typed && amounts[name] === null) {
      errors.mark(name, "grants.badAmount");
      bad ??= control;
    }
  }
  bad?.focus();
  return bad ? null : amounts;
}

/** CreateCallInput from the form, what the chosen mode and ballot do not use left out; null
 * after marking what our own check refuses (malformed amounts and vote share). */
function inputOf(c: Controls, errors: FieldErrors, criteria: CriteriaRows): Record<string, unknown> | null {
  errors.clear();
  const mode = c.mode.value;
  const weight = c.voteWeight.value.trim().replace(",", ".");
  const badWeight = mode === "BOTH" && !/^\d+(\.\d+)?$/.test(weight);
  if (badWeight) errors.mark("voteWeight", "grants.badFraction");
  const amounts = amountsOf(c, errors);
  if (!amounts) return null;
  if (badWeight) {
    c.voteWeight.focus();
    return null;
  }
  const kind = mode === "PANEL" ? null : c.ballotKind.value;
  const claimed = mode !== "PANEL" && c.voterRule.value === "CLAIM";
  return {
    title: c.title.value.trim(),
    description: c.description.value,
    currency: c.currency.value.trim().toUpperCase(),
    ...amounts,
    opensOn: c.opensOn.value,
    closesOn: c.closesOn.value,
    mode,
    voteWeight: mode === "BOTH" ? weight : "0",
    criteria: mode === "VOTE" ? null : criteria.values(),
    scaleMin: Number(c.scaleMin.value || 0),
    scaleMax: Number(c.scaleMax.value || 0),
    panelSize: Number(c.panelSize.value || 0),
    ballotKind: kind,
    ballotPoints: kind === "POINTS" ? optionalInt(c.ballotPoints) : null,
    ballotMaxChoices: kind === "APPROVAL" ? optionalInt(c.ballotMaxChoices) : null,
    voterRule: mode === "PANEL" ? "CITIZEN" : c.voterRule.value,
    voterClaim: claimed ? c.voterClaim.value.trim() || null : null,
    voterClaimValue: claimed ? c.voterClaimValue.value.trim() || null : null,
    minMembers: optionalInt(c.minMembers),
    minHours: optionalInt(c.minHours),
    districtId: c.district.value || null,
  };
}

function editorForm(call: CallTerms | null, districts: Districts): HTMLElement {
  const errors = new FieldErrors();
  const c = controls(call, districts);
  const criteria = criteriaRows(errors, call?.criteria ?? []);
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const save = async (event: Event) => {
    event.preventDefault();
    const input = inputOf(c, errors, criteria);
    if (!input) return void messages.replaceChildren(alertBox("grants.fixFields"));
    const answer = call
      ? await send<CallResult>(messages, UPDATE_CALL, { id: call.id, input }, (d) => d.updateCall)
      : await send<CallResult>(messages, CREATE_CALL, { input }, (d) => d.createCall);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(placeRefusal(answer.refused, errors));
    if (answer.ok.__typename === "FundingCall") navigate(callPath(answer.ok.id));
  };
  return h("form", { class: "form form--wide grants-editor", novalidate: true, onsubmit: (e: Event) => void save(e) },
    messages,
    ...sections(c, errors, criteria),
    h("button", { type: "submit", class: "button", msg: call ? "grants.saveCall" : "grants.createCall" }));
}

/** Most pages of districts the editor offers (a hundred each): far above a city's hundred
 * or so neighbourhoods, and a bound on what one page load asks for. */
const MOST_DISTRICT_PAGES = 20;

/** Every district by name, page by page; the officer's own viewer from the first page. A
 * draft's district is always among them, also past the last page read: a save never drops it. */
async function allDistricts(own: { id: string; name: string } | null = null): Promise<{ me: DistrictsData["me"]; districts: Districts }> {
  const districts: Districts = [];
  let after: string | null = null;
  let me: DistrictsData["me"] = null;
  for (let page = 0; page < MOST_DISTRICT_PAGES; page++) {
    const data: DistrictsData = await load<DistrictsData>(DISTRICTS, { after });
    if (page === 0) me = data.me;
    districts.push(...data.districts.nodes);
    if (!data.districts.pageInfo.hasNextPage) break;
    after = data.districts.pageInfo.endCursor;
  }
  if (own && !districts.some((d) => d.id === own.id)) districts.push(own);
  return { me, districts };
}

function officerOnly(): Problem {
  return new Problem(token() ? alertBox("grants.officersOnly") : h("p", {}, h("a", { href: "/sign-in", msg: "grants.signIn" })));
}

export function newCallPage(): Page {
  return {
    title: "grants.newCallTitle",
    render(main) {
      const body = h("div", {});
      main.append(h("h1", { tabindex: "-1", msg: "grants.newCallTitle" }), h("p", { msg: "grants.editorIntro" }), body);
      void fill(body, async () => {
        const { me, districts } = await allDistricts();
        if (!isOfficer(me)) throw officerOnly();
        return [editorForm(null, districts)];
      });
    },
  };
}

export function editCallPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "grants.editCallTitle",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "grants.editCallTitle" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        if (!isId(params.id)) throw new Problem(alertBox("grants.noCall"));
        const data = await load<CallTermsData>(CALL_TERMS, { id: params.id });
        if (!isOfficer(data.me)) throw officerOnly();
        const call = data.call;
        if (!call) throw new Problem(alertBox("grants.noCall"));
        tx(heading, "grants.editCallHeading", { title: call.title });
        const back = h("p", { class: "breadcrumb" }, h("a", { href: callPath(call.id), msg: "grants.backToCall" }));
        setTitle(call.title);
        if (call.status !== "draft") return [back, h("p", { msg: "grants.onlyDrafts" })];
        const { districts } = await allDistricts(call.district);
        return [back, editorForm(call, districts)];
      });
    },
  };
}
