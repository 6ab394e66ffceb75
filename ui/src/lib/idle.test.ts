import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTIVITY_REPORT_MS, KEEP_AWAKE, idleAfter, watchWindowIdle } from "./idle";

describe("the idle lock", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires once the desk has gone the whole time untouched", () => {
    const onIdle = vi.fn();
    idleAfter(5, onIdle);
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("starts counting again whenever someone uses the desk", () => {
    const onIdle = vi.fn();
    const watch = idleAfter(5, onIdle);
    vi.advanceTimersByTime(4 * 60_000);
    watch.touch();
    vi.advanceTimersByTime(4 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("counts keys and pointer moves in the window, and stops when asked", () => {
    const onIdle = vi.fn();
    const target = new EventTarget() as unknown as Window;
    const stop = watchWindowIdle(target, 1, onIdle);
    vi.advanceTimersByTime(50_000);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it("stays awake while a running call says so, though nobody touches the keyboard", () => {
    const onIdle = vi.fn();
    const onActivity = vi.fn();
    const target = new EventTarget() as unknown as Window;
    watchWindowIdle(target, 5, onIdle, onActivity);
    for (let quarter = 0; quarter < 4 * 20; quarter++) {
      vi.advanceTimersByTime(15_000);
      target.dispatchEvent(new Event(KEEP_AWAKE));
    }
    expect(onIdle).not.toHaveBeenCalled();
    expect(onActivity).toHaveBeenCalled();
  });

  it("tells the app someone is using the desk, now and then rather than at every key", () => {
    const onActivity = vi.fn();
    const target = new EventTarget() as unknown as Window;
    const stop = watchWindowIdle(target, 5, () => {}, onActivity);
    for (let key = 0; key < 20; key += 1) target.dispatchEvent(new Event("keydown"));
    expect(onActivity).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(ACTIVITY_REPORT_MS);
    target.dispatchEvent(new Event("pointermove"));
    expect(onActivity).toHaveBeenCalledTimes(2);
    stop();
  });
});
