import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { idleAfter, watchWindowIdle } from "./idle";

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
});
