import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi, problem } from "@/test/api-mock";
import { renderRoute } from "@/test/render";
import { Attachments } from "@/features/reporting/components/Attachments";

afterEach(() => vi.unstubAllGlobals());

const minutes = {
  id: "a-1",
  filename: "minutes.pdf",
  media_type: "application/pdf",
  size: 2048,
  sha256: "0".repeat(64),
  created_by: "user:r",
  created_at: "2026-01-01T10:00:00Z",
};

describe("Attachments", () => {
  it("uploads a file as multipart and shows the server's reason when it is refused (413)", async () => {
    const sent: FormData[] = [];
    mockApi({
      "POST /api/projects/v1/auth/token": () => problem(401, "No session"),
      "POST /api/reporting/v1/reports/r-1/attachments": async (req) => {
        sent.push(await req.formData());
        return problem(413, "Payload too large", { detail: "An attachment may have at most 5242880 bytes." });
      },
    });
    renderRoute(<Attachments reportId="r-1" attachments={[]} editable />);
    const file = new File(["%PDF-1.4 big"], "big.pdf", { type: "application/pdf" });
    await userEvent.upload(screen.getByLabelText("File to attach"), file);
    await userEvent.click(screen.getByRole("button", { name: "Attach file" }));
    const alert = await screen.findByTestId("attachment-problem");
    expect(alert).toHaveTextContent("The file is too large.");
    expect(alert).toHaveTextContent("at most 5242880 bytes");
    expect(sent[0]?.has("file")).toBe(true);
  });

  it("explains a refused type (415) in the server's words", async () => {
    mockApi({
      "POST /api/projects/v1/auth/token": () => problem(401, "No session"),
      "POST /api/reporting/v1/reports/r-1/attachments": () =>
        problem(415, "Unsupported media type", {
          detail: "evil.pdf is not a PDF, PNG, JPEG, Office document, CSV or text file",
        }),
    });
    renderRoute(<Attachments reportId="r-1" attachments={[]} editable />);
    await userEvent.upload(screen.getByLabelText("File to attach"), new File(["MZ"], "evil.pdf"));
    await userEvent.click(screen.getByRole("button", { name: "Attach file" }));
    expect(await screen.findByTestId("attachment-problem")).toHaveTextContent("This type of file cannot be attached.");
  });

  it("lists, downloads and removes attachments of a draft", async () => {
    const calls: string[] = [];
    mockApi({
      "POST /api/projects/v1/auth/token": () => problem(401, "No session"),
      "GET /api/reporting/v1/reports/r-1/attachments/a-1": () => {
        calls.push("download");
        return new Response("%PDF-1.4", { headers: { "Content-Type": "application/pdf" } });
      },
      "DELETE /api/reporting/v1/reports/r-1/attachments/a-1": () => {
        calls.push("delete");
        return new Response(null, { status: 204 });
      },
      "GET /api/reporting/v1/reports/r-1": () => json({}),
    });
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:x", revokeObjectURL: () => undefined }));
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderRoute(<Attachments reportId="r-1" attachments={[minutes]} editable />);
    expect(screen.getByText("minutes.pdf")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Download minutes.pdf" }));
    await userEvent.click(screen.getByRole("button", { name: "Remove minutes.pdf" }));
    await waitFor(() => expect(calls).toEqual(["download", "delete"]));
  });

  it("offers no upload or removal once the report is submitted", () => {
    mockApi({ "POST /api/projects/v1/auth/token": () => problem(401, "No session") });
    renderRoute(<Attachments reportId="r-1" attachments={[minutes]} editable={false} />);
    expect(screen.queryByLabelText("File to attach")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Remove minutes.pdf" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Download minutes.pdf" })).toBeInTheDocument();
  });
});
