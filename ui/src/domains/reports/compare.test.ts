import { describe, expect, it } from "vitest";
import { before, change, percent, periodWords, trendStep } from "./compare";

describe("a figure beside the period before", () => {
  it("says the change in words and a sign, not colour alone", () => {
    expect(change(112, 100)).toEqual({ words: "up 12 (+12%)", direction: "up" });
    expect(change(90, 100)).toEqual({ words: "down 10 (−10%)", direction: "down" });
    expect(change(5, 0)).toEqual({ words: "up 5", direction: "up" });
    expect(change(7, 7).direction).toBe("same");
  });

  it("shows a share to a tenth of a percent, and a dash when nothing was divided", () => {
    expect(percent(0.125)).toBe("12.5%");
    expect(percent(null)).toBe("—");
  });

  it("finds a breakdown's row in the period before by its name, or counts none", () => {
    const earlier = [{ service: "Housing", visits: 4 }];
    expect(
      before(
        earlier,
        (r) => r.service,
        "Housing",
        (r) => r.visits,
      ),
    ).toBe(4);
    expect(
      before(
        earlier,
        (r) => r.service,
        "Food",
        (r) => r.visits,
      ),
    ).toBe(0);
  });

  it("names a period by its days", () => {
    expect(periodWords("2026-11-01", "2026-11-30")).toContain("2026");
  });
});

describe("a trend's step", () => {
  it("is read from whole steps, not the first one the period's start cut short", () => {
    expect(trendStep(["2026-11-01", "2026-11-02", "2026-11-03"])).toBe("day");
    expect(trendStep(["2026-10-01", "2026-10-05", "2026-10-12"])).toBe("week");
    expect(trendStep(["2026-07-15", "2026-08-01", "2026-09-01"])).toBe("month");
  });
});
