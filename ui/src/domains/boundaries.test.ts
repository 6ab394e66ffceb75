/// <reference types="vite/client" />
// Each domain folder owns its components and logic; screens compose domains. A domain may use
// what every screen shares (`src/lib`) and packages, never another domain or a screen: this
// test is the rule that keeps it so.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["./**/*.ts", "./**/*.svelte", "!./**/*.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** `a/b/../c` is `a/c`, kept relative to the domains folder (it may start with `..`). */
function normalized(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "." || part === "") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/** What a file in `domains/` imports that it should not: another domain, a screen, the app. */
export function crossings(path: string, source: string): string[] {
  const domain = normalized(path).split("/")[0];
  const folder = normalized(path).split("/").slice(0, -1).join("/");
  const specifiers = [...source.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)].map((match) => match[1]!);
  return specifiers.filter((specifier) => {
    const target = normalized(`${folder}/${specifier}`);
    if (target.startsWith("../")) return !target.startsWith("../lib/");
    return target.split("/")[0] !== domain;
  });
}

describe("domain folders", () => {
  it("each import only from themselves, src/lib and packages", () => {
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThan(10);
    const wrong = files.flatMap((path) => crossings(path, sources[path]!).map((to) => `${path} imports ${to}`));
    expect(wrong).toEqual([]);
  });

  it("notice an import from another domain or a screen", () => {
    const source = `import ConsentPanel from "../consent/ConsentPanel.svelte";
      import { api } from "../../lib/api";
      import Search from "../../screens/front-desk/Search.svelte";
      import { draftToInput } from "./personForm";`;
    expect(crossings("./people/PersonForm.svelte", source)).toEqual([
      "../consent/ConsentPanel.svelte",
      "../../screens/front-desk/Search.svelte",
    ]);
  });
});
