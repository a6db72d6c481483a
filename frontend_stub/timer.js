// The study timer (学习计时, R9): start a session, a heartbeat every minute while the page is
// visible, end it when the page goes away. The server decides what counts; the page only beats.

import { gql, mutate } from "./api.js";

const START = gql`
  mutation StartStudy($input: StartStudySessionInput!) {
    startStudySession(input: $input) {
      session { id startedAt active countedSeconds topic { title } resource { title } }
      userErrors { code field message }
    }
  }
`;

const HEARTBEAT = gql`
  mutation Heartbeat($input: HeartbeatInput!) {
    heartbeat(input: $input) {
      heartbeat { sequence countedSeconds onlineSeconds session { id active countedSeconds } }
      userErrors { code field message }
    }
  }
`;

const END = gql`
  mutation EndStudy($input: EndStudySessionInput!) {
    endStudySession(input: $input) {
      session { id active endReason countedSeconds }
      userErrors { code field message }
    }
  }
`;

const BEAT_EVERY_MS = 60_000;
const RETRY_AFTER_MS = 10_000;

/**
 * One study session. `onBeat(heartbeat)` after each recorded heartbeat, `onStop(userErrors)` when
 * the server ends the session (another device took over, it timed out) or the page ends it.
 */
export class StudyTimer {
  constructor({ onBeat, onStop }) {
    this.onBeat = onBeat;
    this.onStop = onStop;
    this.session = null;
    this.sequence = 0; // the last sequence the server answered
    this.pending = null; // a sequence whose request failed: sent again, unchanged
    this.timer = null;
    this.sending = false;
    // Beats only while the page is visible; back from hidden, at once (the server books the
    // hidden minutes as an idle gap).
    this.beatIfVisible = () => document.visibilityState === "visible" && this.beat();
    // If even that fails, the server times the session out at its last heartbeat.
    this.leaving = () => this.end({ leaving: true }).catch(() => {});
  }

  get running() {
    return this.session !== null;
  }

  /** Resolves to the payload; its userErrors say why not (e.g. SESSION_CONFLICT, WINDOW_…). */
  async start({ topicId, resourceId, takeOver = false }) {
    const payload = await mutate(START, { input: { topicId, resourceId, takeOver } });
    if (payload.userErrors.length) return payload;
    this.session = payload.session;
    this.sequence = 0;
    this.pending = null;
    this.timer = setInterval(this.beatIfVisible, BEAT_EVERY_MS);
    document.addEventListener("visibilitychange", this.beatIfVisible);
    addEventListener("pagehide", this.leaving);
    return payload;
  }

  /**
   * Sends the next sequence number. A failed request is retried with the SAME number: if the
   * first one did reach the server, the retry counts once (DUPLICATE, 0 s).
   */
  async beat() {
    if (!this.session || this.sending) return;
    const sequence = this.pending ?? this.sequence + 1;
    this.sending = true;
    try {
      const payload = await mutate(HEARTBEAT, { input: { sessionId: this.session.id, sequence } });
      if (!this.session) return; // ended while the beat was on its way
      if (payload.userErrors.length) {
        this.stop(payload.userErrors); // SESSION_ENDED / SESSION_CONFLICT: this session is over
        return;
      }
      this.sequence = sequence;
      this.pending = null;
      this.onBeat(payload.heartbeat);
    } catch (error) {
      if (!this.session) return;
      if (error.retryable) {
        this.pending = sequence;
        setTimeout(this.beatIfVisible, RETRY_AFTER_MS);
      } else {
        this.stop([{ code: error.code, message: error.message }]); // e.g. the token expired
      }
    } finally {
      this.sending = false;
    }
  }

  /** Ends the session; on pagehide the request is sent with keepalive so it survives the page. */
  async end({ leaving = false } = {}) {
    if (!this.session) return;
    clearInterval(this.timer);
    let userErrors = [];
    try {
      const payload = await mutate(END, { input: { sessionId: this.session.id } }, { keepalive: leaving });
      userErrors = payload.userErrors;
    } finally {
      this.stop(userErrors);
    }
  }

  stop(userErrors) {
    clearInterval(this.timer);
    document.removeEventListener("visibilitychange", this.beatIfVisible);
    removeEventListener("pagehide", this.leaving);
    this.session = null;
    this.onStop(userErrors);
  }
}
