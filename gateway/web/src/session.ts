// The bearer token of this tab. sessionStorage: it ends with the tab and is not shared
// with other tabs; the token itself expires after an hour anyway.
const KEY = "meent.token";

export function token(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(value: string): void {
  sessionStorage.setItem(KEY, value);
}

export function clearToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
