import { describe, expect, it } from "vitest";
import { moveSelection, serviceIndexForKey, serviceKeyLabel, toggleService } from "./selection";

describe("keyboard selection", () => {
  it("moves through results and wraps", () => {
    expect(moveSelection(-1, 3, 1)).toBe(0);
    expect(moveSelection(-1, 3, -1)).toBe(2);
    expect(moveSelection(2, 3, 1)).toBe(0);
    expect(moveSelection(0, 3, -1)).toBe(2);
    expect(moveSelection(1, 0, 1)).toBe(-1);
  });

  it("maps digit keys to services", () => {
    expect(serviceIndexForKey("1")).toBe(0);
    expect(serviceIndexForKey("9")).toBe(8);
    expect(serviceIndexForKey("0")).toBe(9);
    expect(serviceIndexForKey("a")).toBeNull();
    expect(serviceIndexForKey("Enter")).toBeNull();
    expect(serviceIndexForKey("Digit1")).toBe(0);
    expect(serviceIndexForKey("Digit1", true)).toBe(10);
    expect(serviceIndexForKey("Digit0", true)).toBe(19);
    expect(serviceIndexForKey("KeyA", true)).toBeNull();
  });

  it("names the keys of the first twenty services", () => {
    expect([0, 9, 10, 11, 19, 20].map(serviceKeyLabel)).toEqual(["1", "0", "⇧1", "⇧2", "⇧0", null]);
  });

  it("toggles services and keeps the catalog's order", () => {
    const catalog = ["a", "b", "c"];
    expect(toggleService([], "c", catalog)).toEqual(["c"]);
    expect(toggleService(["c"], "a", catalog)).toEqual(["a", "c"]);
    expect(toggleService(["a", "c"], "a", catalog)).toEqual(["c"]);
  });
});
