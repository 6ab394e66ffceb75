import { describe, expect, it } from "vitest";
import { sentence } from "./words";

describe("sentence", () => {
  it("ends with one full stop, whether or not the name brought its own", () => {
    expect(sentence("Saved Jamie R.")).toBe("Saved Jamie R.");
    expect(sentence("Saved Jamie R")).toBe("Saved Jamie R.");
    expect(sentence("Ready?")).toBe("Ready?");
  });
});
