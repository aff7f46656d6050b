import { useState } from "react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import "@/i18n/i18n";
import { NarrativeEditor } from "@/components/NarrativeEditor";
import { pickText } from "@/lib/narratives";
import type { Narratives } from "@/lib/narratives";

function Harness({ initial, seen }: { initial: Narratives; seen: Narratives[] }) {
  const [value, setValue] = useState(initial);
  return (
    <NarrativeEditor
      label="Title"
      value={value}
      defaultLanguage="en"
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

describe("NarrativeEditor", () => {
  it("edits every language, adds one and removes one, keyboard only", async () => {
    const seen: Narratives[] = [];
    render(<Harness initial={{ en: "Border posts", ru: "Посты" }} seen={seen} />);
    expect(screen.getByRole("group", { name: "Title" })).toBeInTheDocument();
    const english = screen.getByDisplayValue("Border posts");
    expect(english).toBeRequired();
    expect(screen.getByDisplayValue("Посты")).toHaveAttribute("lang", "ru");
    await userEvent.selectOptions(screen.getByLabelText("Add a language"), "cs");
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    await userEvent.type(screen.getByLabelText(/\(cs\)/), "Hraniční přechody");
    expect(seen.at(-1)).toEqual({ en: "Border posts", ru: "Посты", cs: "Hraniční přechody" });
    await userEvent.click(screen.getByRole("button", { name: "Remove the Czech text" }));
    expect(Object.keys(seen.at(-1) ?? {})).not.toContain("cs");
    expect(screen.queryByRole("button", { name: /English/ })).toBeNull(); // the default language cannot be removed
  });

  it("shows the reader's language, else the record's, else any", () => {
    expect(pickText({ en: "Title", ru: "Заголовок" }, "ru-RU", "en", "Title")).toBe("Заголовок");
    expect(pickText({ en: "Title" }, "cs", "en", "Title")).toBe("Title");
    expect(pickText({ fr: "Titre" }, "cs", "en", "")).toBe("Titre");
  });
});
