// The idle lock: a desk nobody has touched for a while locks itself, so the next person to walk
// up finds the lock screen, not the last person's records.

/** Sent on `window` while something keeps the desk awake with nobody touching it: a warmline
 * call running while the volunteer listens. */
export const KEEP_AWAKE = "porchlight-keep-awake";

/** What counts as someone using the desk. */
export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart", KEEP_AWAKE] as const;

export interface IdleWatch {
  /** Someone used the desk: the countdown starts again. */
  touch(): void;
  stop(): void;
}

/** Calls `onIdle` once the desk has gone `minutes` without a `touch()`. */
export function idleAfter(minutes: number, onIdle: () => void): IdleWatch {
  const limit = minutes * 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, limit);
  };
  restart();
  return {
    touch: restart,
    stop: () => clearTimeout(timer),
  };
}

/** How often, at most, the window tells the app someone is using it: the app ends the session
 * on its own after the same idle time, so it need only hear now and then. */
export const ACTIVITY_REPORT_MS = 15_000;

/** Watches the window for activity; returns the function that stops watching. `onActivity`
 * hears of it at most every {@link ACTIVITY_REPORT_MS}. */
export function watchWindowIdle(
  target: Window,
  minutes: number,
  onIdle: () => void,
  onActivity: () => void = () => {},
): () => void {
  const watch = idleAfter(minutes, onIdle);
  let reported = Number.NEGATIVE_INFINITY;
  const touch = () => {
    watch.touch();
    const now = Date.now();
    if (now - reported >= ACTIVITY_REPORT_MS) {
      reported = now;
      onActivity();
    }
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, touch, { passive: true });
  return () => {
    watch.stop();
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, touch);
  };
}
