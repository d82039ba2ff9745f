// The one way the client reads data: the gateway's public GraphQL endpoint, the same API
// third-party apps use (GraphQL over HTTP, POST with JSON).
import { alertBox } from "./dom";
import { token } from "./session";

export interface GraphQLResult<T> {
  data: T | null;
  /** The `message` of each GraphQL error (partial data may come with some). */
  errors: string[];
}

/** The request did not produce a GraphQL answer: network down, or a non-GraphQL HTTP error. */
export class RequestFailed extends Error {
  constructor(readonly status: number | null) {
    super(status === null ? "network error" : `HTTP ${status}`);
  }
}

let onUnauthorized: () => void = () => {};

/** Called when the server refuses our token (expired or revoked), so the session is dropped. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  /** Aborting it cancels the request: the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  { signal }: RequestOptions = {},
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/graphql-response+json, application/json",
  };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    // A cancelled request is not a network failure: the caller asked for it.
    if (signal?.aborted) throw signal.reason ?? error;
    throw new RequestFailed(null);
  }
  if (response.status === 401 && bearer) onUnauthorized();
  // graphql-response+json answers request errors with 4xx and a GraphQL body: read it.
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    throw new RequestFailed(response.status);
  }
  if (!body || typeof body !== "object" || !("data" in body || "errors" in body)) {
    throw new RequestFailed(response.status);
  }
  const { data = null, errors = [] } = body as { data?: T | null; errors?: { message?: string }[] };
  return { data, errors: errors.map((e) => e.message ?? String(e)) };
}

/** The alert for a failure of `graphql()` or of a GraphQL answer's errors. */
export function failureAlert(failure: unknown, errors: string[] = []): HTMLElement {
  if (failure instanceof RequestFailed) {
    return failure.status === null
      ? alertBox("error.network")
      : alertBox("error.http", [], { status: failure.status });
  }
  if (failure) return alertBox("error.server", [String(failure)]);
  return alertBox("error.server", errors);
}
