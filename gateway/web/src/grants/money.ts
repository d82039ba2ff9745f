// Money on the grants pages: shown through Intl.NumberFormat in the page's language (the API's
// decimal string handed over as it is), and added up exactly, in whole cents as BigInt — an
// amount is never turned into a float.
import { h } from "../dom";
import { intlLocale, onLanguageChange } from "../i18n";
import { money } from "../hours/labels";
import type { Money } from "./queries";

/** A Money as text in the page's locale and its currency, re-formatted on a language switch. */
export function amount(value: Money): HTMLElement {
  return money(value.amount, value.currency);
}

/** A decimal string in `currency` (a figure added up here, or BudgetExceeded's remaining). */
export function amountIn(value: string, currency: string): HTMLElement {
  return money(value, currency);
}

const DECIMAL = /^(\d{1,13})(?:[.,](\d{1,2}))?$/;

/** What a person typed as an amount ("1234.5", "1234,50"), in cents; null when it is not a
 * non-negative amount with at most two decimals (grouping marks are not accepted: "1.234,50"
 * would be ambiguous). */
export function toCents(typed: string): bigint | null {
  const found = DECIMAL.exec(typed.trim());
  if (!found) return null;
  const [, whole, fraction = ""] = found;
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
}

/** Cents as the API's decimal string ("1234.50"). */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** A typed amount as the API's decimal string, or null when it is not one. */
export function decimalOf(typed: string): string | null {
  const cents = toCents(typed);
  return cents === null ? null : fromCents(cents);
}

/** An API amount (always "1234.50"-like) in cents. */
export function centsOf(value: Money | string): bigint {
  return toCents(typeof value === "string" ? value : value.amount) ?? 0n;
}

/** A decimal from 0 to 1 (a score, a share) in the page's language, at most three decimals.
 * Shown only, never computed with: Intl takes the string as it is. */
export function fraction(value: string): HTMLElement {
  const el = h("span", { class: "js-fraction", "data-value": value });
  formatFraction(el);
  return el;
}

function formatFraction(el: HTMLElement): void {
  const value = el.dataset.value ?? "0";
  const format = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 3 });
  el.textContent = format.format(value as unknown as number);
}

onLanguageChange(() => document.querySelectorAll<HTMLElement>(".js-fraction").forEach(formatFraction));
