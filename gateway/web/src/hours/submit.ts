// Sending a log of hours from a phone in a park: each submission carries an idempotency key,
// kept until an answer arrives, so a retry after a lost answer (sent again automatically, or
// by pressing the button again) logs the hours once — the server answers a repeated key with
// the entry it made the first time.
import { graphql, RequestFailed } from "../graphql";
import { LOG_HOURS, type LogHoursData, type LogHoursInput } from "./queries";

/** Waits before the automatic retries after a network failure (then the person decides). */
const RETRY_DELAYS_MS = [1000, 3000];

/** 128 random bits as hex: getRandomValues works outside secure contexts too (randomUUID not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export type SendAnswer =
  | { kind: "answered"; data: LogHoursData }
  | { kind: "errors"; errors: string[] }
  | { kind: "failed"; failure: unknown };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One submission's key: the same body sent again (after a failure) reuses it; another body,
 * or anything after an answer, gets a new one. */
export class Submission {
  private pending: { body: string; key: string } | null = null;

  keyFor(input: LogHoursInput): string {
    const body = JSON.stringify(input);
    if (this.pending?.body !== body) this.pending = { body, key: newIdempotencyKey() };
    return this.pending.key;
  }

  /** Sends `input`, retrying network failures with the same key; forgets the key once the
   * server has answered (an entry or a refusal), keeps it after a failure. */
  async send(input: LogHoursInput): Promise<SendAnswer> {
    const key = this.keyFor(input);
    for (let attempt = 0; ; attempt++) {
      try {
        const { data, errors } = await graphql<LogHoursData>(LOG_HOURS, { input, key });
        this.pending = null;
        if (errors.length || !data) return { kind: "errors", errors };
        return { kind: "answered", data };
      } catch (failure) {
        const retryable = failure instanceof RequestFailed && (failure.status === null || failure.status >= 502);
        if (!retryable || attempt >= RETRY_DELAYS_MS.length) return { kind: "failed", failure };
        await pause(RETRY_DELAYS_MS[attempt]);
      }
    }
  }
}
