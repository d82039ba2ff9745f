// Who is signed in: the dev-token sign-in of local mode, and `me` from GraphQL, shown in
// the header with a sign-out button.
import { h } from "./dom";
import { failureAlert, graphql, RequestFailed, setUnauthorizedHandler } from "./graphql";
import { clearToken, storeToken, token } from "./session";

export const ROLES = ["citizen", "maintenance", "grant_officer", "admin"] as const;
export type Role = (typeof ROLES)[number];

interface Me {
  sub: string;
  name: string | null;
  roles: string[];
}

/** The server answered 404: it is not in local mode, so it issues no dev tokens. */
export class DevSignInUnavailable extends Error {}

/** The server refused the sign-in; `messages` are its reasons (the `detail[].msg` items). */
export class SignInRejected extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(`HTTP ${status}`);
  }
}

export async function devSignIn(sub: string, name: string, roles: Role[]): Promise<void> {
  let response: Response;
  try {
    response = await fetch("/auth/dev-token", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ sub, name, roles }),
    });
  } catch {
    throw new RequestFailed(null);
  }
  if (response.status === 404) throw new DevSignInUnavailable();
  const body = (await response.json().catch(() => null)) as {
    access_token?: string;
    detail?: { msg?: string }[] | string;
  } | null;
  if (!response.ok || !body?.access_token) {
    const detail = body?.detail;
    const messages = Array.isArray(detail)
      ? detail.map((d) => d.msg ?? "").filter(Boolean)
      : detail
        ? [detail]
        : [];
    throw new SignInRejected(response.status, messages);
  }
  storeToken(body.access_token);
  await refreshAccount();
}

const accountBox = () => document.getElementById("account")!;
const signInItem = () => document.getElementById("nav-sign-in")!;

function show(me: Me | null, problem?: HTMLElement): void {
  // Signed in: the nav's "Sign in" goes away, and the name and a sign-out button appear.
  signInItem().hidden = me !== null || problem !== undefined;
  document.getElementById("nav-me")!.hidden = me === null;
  document.getElementById("nav-hours")!.hidden = me === null;
  if (!me && !problem) {
    accountBox().replaceChildren();
    return;
  }
  accountBox().replaceChildren(
    ...(problem ? [problem] : []),
    me ? h("p", { msg: "account.signedInAs", vars: { name: me.name || me.sub } }) : "",
    h("button", {
      type: "button",
      class: "button button--secondary",
      msg: "account.signOut",
      onclick: signOut,
    }),
  );
}

export async function refreshAccount(): Promise<void> {
  if (!token()) return show(null);
  try {
    const { data, errors } = await graphql<{ me: Me | null }>("query { me { sub name roles } }");
    if (data?.me) return show(data.me);
    if (data && !errors.length) {
      // The server does not know the token any more (expired): we are anonymous.
      clearToken();
      return show(null);
    }
    // A 401 has already dropped the token (see setUnauthorizedHandler): then we are anonymous.
    show(null, token() ? failureAlert(null, errors) : undefined);
  } catch (failure) {
    show(null, token() ? failureAlert(failure) : undefined);
  }
}

function signOut(): void {
  clearToken();
  show(null);
  // The button the focus was on is gone: say so, and put the focus on "Sign in".
  accountBox().replaceChildren(h("p", { class: "visually-hidden", msg: "account.signedOut" }));
  signInItem().querySelector("a")?.focus();
}

setUnauthorizedHandler(() => {
  clearToken();
  show(null);
});
