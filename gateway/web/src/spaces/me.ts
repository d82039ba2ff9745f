// `/me`: the signed-in person's own page — their profile (display name, language, whether the
// name is shown publicly, contact data that is never public), a download of everything held
// about them, and erasure behind a clear confirmation.
import { refreshAccount } from "../account";
import { alertBox, h } from "../dom";
import { setLanguage, type Lang } from "../i18n";
import type { Page } from "../router";
import { clearToken, token } from "../session";
import { LANGUAGE_NAMES } from "./labels";
import { ERASE_ME, MY_DATA, MY_PROFILE, UPDATE_PROFILE, type EraseData, type MyDataData, type MyProfileData, type Profile, type UpdateProfileData } from "./queries";
import { announce, failedAlert, field, fill, load, mutate, Problem, select } from "./ui";

function profileForm(profile: Profile): HTMLElement {
  const name = h("input", { id: "profile-name", name: "displayName", type: "text", autocomplete: "name", value: profile.displayName ?? "" });
  const language = select("profile-language", LANGUAGE_NAMES, (profile.language ?? "EN").toLowerCase());
  const shown = h("input", { id: "profile-public", name: "namePublic", type: "checkbox", checked: profile.namePublic });
  const email = h("input", { id: "profile-email", name: "contactEmail", type: "email", autocomplete: "email", value: profile.contactEmail ?? "" });
  const phone = h("input", { id: "profile-phone", name: "contactPhone", type: "tel", autocomplete: "tel", value: profile.contactPhone ?? "" });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const save = async (event: Event) => {
    event.preventDefault();
    const input = {
      displayName: name.value.trim(),
      language: language.value.toUpperCase(),
      namePublic: shown.checked,
      contactEmail: email.value.trim() || null,
      contactPhone: phone.value.trim() || null,
    };
    const saved = await mutate<UpdateProfileData["updateProfile"]>(messages, UPDATE_PROFILE, { input }, (d) => d.updateProfile);
    if (!saved) return;
    messages.replaceChildren(announce("me.saved"));
    if (language.value !== document.documentElement.lang) setLanguage(language.value as Lang);
  };
  return h(
    "section",
    { "aria-labelledby": "profile" },
    h("h2", { id: "profile", msg: "me.profile" }),
    messages,
    h("form", { class: "form", onsubmit: (e: Event) => void save(e) },
      field(name, "me.displayName"),
      field(language, "me.language"),
      h("div", { class: "check" }, shown, h("label", { for: shown.id, msg: "me.namePublic" })),
      h("p", { class: "field-help", msg: "me.namePublicHelp" }),
      h("fieldset", { class: "fieldset" }, h("legend", { msg: "me.contact" }), h("p", { class: "field-help", msg: "me.contactHelp" }),
        field(email, "me.email"), field(phone, "me.phone")),
      h("button", { type: "submit", class: "button", msg: "me.save" })),
  );
}

/** Everything held about the person (myData, one JSON value), handed over as a file. */
async function downloadExport(messages: HTMLElement): Promise<void> {
  messages.replaceChildren();
  let data: MyDataData;
  try {
    data = await load<MyDataData>(MY_DATA);
  } catch (failure) {
    messages.append(failure instanceof Problem ? alertBox("me.exportFailed") : failedAlert(failure, "me.exportFailed"));
    return;
  }
  const blob = new Blob([JSON.stringify(data.myData, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: "meent-export.json" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  messages.append(announce("me.exported"));
}

function exportSection(): HTMLElement {
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  return h("section", { "aria-labelledby": "export" },
    h("h2", { id: "export", msg: "me.export" }),
    h("p", { msg: "me.exportHelp" }),
    messages,
    h("button", { type: "button", class: "button button--secondary", msg: "me.exportButton", onclick: () => void downloadExport(messages) }));
}

/** Erasure: the person types the confirmation word shown, then confirms. */
function erasureSection(): HTMLElement {
  const word = h("input", { id: "erase-confirm", name: "confirm", type: "text", autocomplete: "off", spellcheck: "false" });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const erase = async (event: Event) => {
    event.preventDefault();
    if (word.value.trim().toUpperCase() !== "ERASE") {
      messages.replaceChildren(alertBox("me.eraseMismatch"));
      word.setAttribute("aria-invalid", "true");
      word.focus();
      return;
    }
    const erased = await mutate<EraseData["eraseMe"]>(messages, ERASE_ME, {}, (d) => d.eraseMe);
    if (!erased) return;
    clearToken();
    await refreshAccount();
    section.replaceChildren(h("h2", { id: "erase", msg: "me.erase" }), announce("me.erased"));
  };
  const section = h("section", { "aria-labelledby": "erase", class: "danger" },
    h("h2", { id: "erase", msg: "me.erase" }),
    h("p", { msg: "me.eraseExplain" }),
    messages,
    h("form", { class: "form", onsubmit: (e: Event) => void erase(e) },
      field(word, "me.eraseConfirm", "me.eraseConfirmHelp"),
      h("button", { type: "submit", class: "button button--danger", msg: "me.eraseButton" })));
  return section;
}

export function mePage(): Page {
  return {
    title: "me.title",
    render(main) {
      const body = h("div", {});
      main.append(h("h1", { tabindex: "-1", msg: "me.title" }), body);
      void fill(body, async () => {
        if (!token()) throw new Problem(h("p", {}, h("a", { href: "/sign-in", msg: "me.signIn" })));
        const data = await load<MyProfileData>(MY_PROFILE);
        if (!data.me?.person) throw new Problem(alertBox("spaces.signInFirst"));
        return [profileForm(data.me.person), exportSection(), erasureSection()];
      });
    },
  };
}
