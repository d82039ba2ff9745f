// `/sign-in`: local mode's development sign-in (POST /auth/dev-token). Validation is our
// own, not the browser's bubbles, so its messages are in the page's language and stay
// on screen, tied to their fields with aria-describedby.
import { devSignIn, DevSignInUnavailable, ROLES, SignInRejected, type Role } from "../account";
import { alertBox, h } from "../dom";
import { failureAlert } from "../graphql";
import type { MessageKey } from "../i18n";
import { navigate, type Page } from "../router";

const ROLE_LABELS: Record<Role, MessageKey> = {
  citizen: "role.citizen",
  maintenance: "role.maintenance",
  grant_officer: "role.grant_officer",
  admin: "role.admin",
};

function textField(id: string, label: MessageKey, autocomplete: string) {
  const input = h("input", { id, name: id, type: "text", autocomplete, spellcheck: "false" });
  const error = h("p", { id: `${id}-error`, class: "field-error", hidden: true });
  const field = h("div", { class: "field" }, h("label", { for: id, msg: label }), error, input);
  const setError = (message: MessageKey | null) => {
    error.hidden = message === null;
    if (message) {
      error.replaceChildren(h("span", { msg: message }));
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
    } else {
      error.replaceChildren();
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  };
  return { field, input, setError };
}

/** A link's click handler that focuses `input` without touching the URL. */
function focusOn(input: HTMLElement): EventListener {
  return (event) => {
    event.preventDefault();
    input.focus();
  };
}

export function signIn(): Page {
  return {
    title: "signIn.title",
    render(main) {
      const sub = textField("sub", "signIn.sub", "username");
      const name = textField("name", "signIn.name", "name");
      const roles = ROLES.map((role) => {
        const box = h("input", {
          type: "checkbox",
          id: `role-${role}`,
          name: "roles",
          value: role,
          checked: role === "citizen", // everyone is a citizen; the server adds it anyway
        });
        const label = h("label", { for: box.id, msg: ROLE_LABELS[role] });
        return { role, box, row: h("div", { class: "check" }, box, label) };
      });
      const messages = h("div", { class: "form-messages" });
      const submit = h("button", { type: "submit", class: "button", msg: "signIn.submit" });

      let busy = false;

      const onSubmit = async (event: Event) => {
        event.preventDefault();
        if (busy) return;
        messages.replaceChildren();
        const values = { sub: sub.input.value.trim(), name: name.input.value.trim() };
        sub.setError(values.sub ? null : "signIn.subRequired");
        name.setError(values.name ? null : "signIn.nameRequired");
        const invalid = [
          values.sub ? null : ([sub.input, "signIn.subRequired"] as const),
          values.name ? null : ([name.input, "signIn.nameRequired"] as const),
        ].filter((item) => item !== null);
        if (invalid.length) {
          // A summary naming each problem, linked to its field, then the focus on the first.
          const links = invalid.map(([input, msg]) =>
            h("li", {}, h("a", { href: `#${input.id}`, msg, onclick: focusOn(input) })),
          );
          messages.append(alertBox("signIn.problem", [h("ul", {}, ...links)]));
          invalid[0][0].focus();
          return;
        }
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
        busy = true;
        submit.setAttribute("aria-disabled", "true");
        try {
          const chosen = roles.filter((r) => r.box.checked).map((r) => r.role);
          await devSignIn(values.sub, values.name, chosen);
          navigate("/");
        } catch (failure) {
          messages.append(
            failure instanceof DevSignInUnavailable
              ? alertBox("signIn.unavailable")
              : failure instanceof SignInRejected
                ? alertBox("signIn.failed", failure.messages)
                : failureAlert(failure),
          );
        } finally {
          busy = false;
          submit.removeAttribute("aria-disabled");
        }
      };

      main.append(
        h("h1", { tabindex: "-1", msg: "signIn.title" }),
        h("p", { msg: "signIn.intro" }),
        messages,
        h(
          "form",
          { class: "form", novalidate: true, onsubmit: (e: Event) => void onSubmit(e) },
          sub.field,
          name.field,
          h(
            "fieldset",
            { class: "fieldset" },
            h("legend", { msg: "signIn.roles" }),
            ...roles.map((r) => r.row),
          ),
          submit,
        ),
      );
    },
  };
}
