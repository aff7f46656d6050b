import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { createMemoryRouter, Link, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { UnsavedChangesGuard } from "@/components/UnsavedChangesGuard";

function Editor() {
  const [value, setValue] = useState("");
  return (
    <>
      <UnsavedChangesGuard when={value !== ""} />
      <label>
        Value <input value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <Link to="/elsewhere">Leave</Link>
    </>
  );
}

function renderEditor() {
  const router = createMemoryRouter(
    [
      { path: "/", element: <Editor /> },
      { path: "/elsewhere", element: <p>Elsewhere</p> },
    ],
    { initialEntries: ["/"] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

describe("UnsavedChangesGuard", () => {
  it("lets you leave when nothing is unsaved", async () => {
    renderEditor();
    await userEvent.click(screen.getByRole("link", { name: "Leave" }));
    expect(await screen.findByText("Elsewhere")).toBeInTheDocument();
  });

  it("asks before leaving unsaved work; Escape stays, the keyboard stays in the dialog, leaving leaves", async () => {
    const router = renderEditor();
    await userEvent.type(screen.getByLabelText("Value"), "12");
    await userEvent.click(screen.getByRole("link", { name: "Leave" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Leave without saving?" });
    expect(screen.getByRole("button", { name: "Stay on this page" })).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByRole("button", { name: "Leave without saving" })).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByRole("button", { name: "Stay on this page" })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(dialog).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/");
    await userEvent.click(screen.getByRole("link", { name: "Leave" }));
    await userEvent.click(await screen.findByRole("button", { name: "Leave without saving" }));
    expect(await screen.findByText("Elsewhere")).toBeInTheDocument();
  });
});
