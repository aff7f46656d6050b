import { afterEach, describe, expect, it, vi } from "vitest";
import { downloadBlob } from "@/lib/csv";

afterEach(() => vi.restoreAllMocks());

describe("downloadBlob", () => {
  it("clicks a temporary link named after the file", () => {
    const created = vi.fn(() => "blob:x");
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() });
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(`${this.download} ${this.href}`);
    });
    downloadBlob("projects.csv", new Blob(["a,b\r\n"], { type: "text/csv" }));
    expect(clicks).toEqual(["projects.csv blob:x"]);
    expect(document.querySelector("a[download]")).toBeNull();
  });
});
