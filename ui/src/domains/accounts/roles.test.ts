import { describe, expect, it } from "vitest";
import { rolesLabel } from "./roles";

describe("role words", () => {
  it("names roles in the order they are offered", () => {
    expect(rolesLabel(["warmline", "front_desk"])).toBe("Front desk, Warmline");
  });
});
