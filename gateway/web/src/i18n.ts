// Message catalogues and the current language. Every UI string lives in ./i18n/*.json;
// elements carry their message key in data-i18n so a language switch re-translates the
// page in place (typed form values and loaded data stay).
import en from "./i18n/en.json";
import fr from "./i18n/fr.json";
import nl from "./i18n/nl.json";
import pl from "./i18n/pl.json";

export type MessageKey = keyof typeof en;
export type Vars = Record<string, string | number>;

// Typed as English's keys, so a catalogue missing a key fails `tsc`.
const catalogues = { en, nl, pl, fr } satisfies Record<string, Record<MessageKey, string>>;
export type Lang = keyof typeof catalogues;
export const LANGUAGES = Object.keys(catalogues) as Lang[];

const STORAGE_KEY = "meent.lang";
let current: Lang = "en";
const listeners: Array<(lang: Lang) => void> = [];

function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as string[]).includes(value);
}

// A message with a number has a form per plural category of its language, as
// "one: {count} godzina | few: {count} godziny | many: {count} godzin | other: {count} godziny";
// `Intl.PluralRules` picks the form for `vars.count` (a missing category falls back to other).
const PLURAL = /^\s*(zero|one|two|few|many|other)\s*:/;

/** The plural forms of a message by category, or null for a plain message. */
export function pluralForms(text: string): Map<string, string> | null {
  if (!PLURAL.test(text)) return null;
  const forms = new Map<string, string>();
  for (const part of text.split("|")) {
    const found = PLURAL.exec(part);
    if (found) forms.set(found[1], part.slice(found[0].length).trim());
  }
  return forms;
}

function pickForm(text: string, count: unknown, lang: Lang): string {
  const forms = pluralForms(text);
  if (!forms) return text;
  const n = Number(count);
  const category = Number.isFinite(n) ? new Intl.PluralRules(lang).select(n) : "other";
  return forms.get(category) ?? forms.get("other") ?? text;
}

export function t(key: MessageKey, vars: Vars = {}, lang: Lang = current): string {
  const text = pickForm(catalogues[lang][key], vars.count, lang);
  // A plural message's number is written the language's way (1,5 in Polish, 1.5 in English).
  const shown = (name: string) =>
    name === "count" && typeof vars.count === "number" && text !== catalogues[lang][key]
      ? vars.count.toLocaleString(lang)
      : String(vars[name]);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? shown(name) : whole));
}

/** A stored choice first, then the browser's preferences (first supported match), then English. */
export function initialLanguage(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can be blocked (privacy settings); fall through to the browser's languages.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const primary = tag?.toLowerCase().split("-")[0];
    if (isLang(primary)) return primary;
  }
  return "en";
}

export function language(): Lang {
  return current;
}

/** The locale for Intl formatting: the browser's own variant of the page's language when it
 * has one (en-GB writes 15 July 2024, en-US July 15, 2024), else the language itself. */
export function intlLocale(): string {
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  const match = preferred.find((tag) => tag?.toLowerCase().split("-")[0] === current);
  try {
    return match ? (Intl.getCanonicalLocales(match)[0] ?? current) : current;
  } catch {
    return current; // a malformed tag
  }
}

export function setLanguage(lang: Lang, { remember = true } = {}): void {
  current = lang;
  document.documentElement.lang = lang;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Not remembered across visits, but the switch still works now.
    }
  }
  translate(document);
  listeners.forEach((listener) => listener(lang));
}

/** Calls `listener` after every language switch; returns the function that stops that. */
export function onLanguageChange(listener: (lang: Lang) => void): () => void {
  listeners.push(listener);
  return () => {
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  };
}

/** Marks `el` as showing message `key` and fills it in. */
export function tx<E extends HTMLElement>(el: E, key: MessageKey, vars?: Vars): E {
  el.dataset.i18n = key;
  if (vars) el.dataset.i18nVars = JSON.stringify(vars);
  else delete el.dataset.i18nVars;
  el.textContent = t(key, vars);
  return el;
}

/** (Re)fills every marked element under `root`: text from data-i18n, attributes from
 * data-i18n-attr="attribute=key;attribute=key". */
export function translate(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((el) => {
    const vars = el.dataset.i18nVars ? (JSON.parse(el.dataset.i18nVars) as Vars) : {};
    el.textContent = t(el.dataset.i18n as MessageKey, vars);
  });
  root.querySelectorAll<HTMLElement>("[data-i18n-attr]").forEach((el) => {
    for (const pair of el.dataset.i18nAttr!.split(";")) {
      const [attribute, key] = pair.split("=");
      el.setAttribute(attribute.trim(), t(key.trim() as MessageKey));
    }
  });
}
