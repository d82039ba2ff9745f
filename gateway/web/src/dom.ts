// A tiny element builder, so pages read as a tree without a framework. Text always goes
// in through textContent (never innerHTML): names and server messages cannot inject markup.
import { t, tx, type MessageKey, type Vars } from "./i18n";

type Child = Node | string | null | undefined | false;
type Attribute = string | number | boolean | EventListener | undefined;
type Props = {
  /** A message key: the element's text, re-translated on a language switch. */
  msg?: MessageKey;
  vars?: Vars;
  /** Attributes (true: present, false/undefined: absent) and on* event listeners. */
  [attribute: string]: Attribute | Vars;
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  const { msg, vars, ...rest } = props;
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined || value === false || typeof value === "object") continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  if (msg) tx(el, msg, vars);
  for (const child of children) {
    if (child) el.append(child);
  }
  return el;
}

/** An error box that assistive technology announces when it appears. `details` are server
 * messages (shown as they come, untranslated) or ready-made nodes. */
export function alertBox(
  heading: MessageKey,
  details: (string | Node)[] = [],
  vars?: Vars,
): HTMLElement {
  const list = details.filter((d) => typeof d === "string");
  return h(
    "div",
    { class: "alert", role: "alert" },
    h("p", { class: "alert__heading", msg: heading, vars }),
    list.length ? h("ul", {}, ...list.map((d) => h("li", {}, d))) : null,
    ...details.filter((d) => typeof d !== "string"),
  );
}

/** Sets `attribute` of `el` to message `key`, re-translated on a language switch (through
 * data-i18n-attr, like the layout's attributes). */
export function attrMsg<E extends HTMLElement>(el: E, attribute: string, key: MessageKey): E {
  const pairs = (el.dataset.i18nAttr ?? "")
    .split(";")
    .filter((pair) => pair && !pair.startsWith(`${attribute}=`));
  el.dataset.i18nAttr = [...pairs, `${attribute}=${key}`].join(";");
  el.setAttribute(attribute, t(key));
  return el;
}
