import { useState } from "react";

/**
 * The state of an import that checks a file with a dry run before importing it for real: the chosen file, the last
 * outcome, the last error, and whether a request is running. `send` uploads the file (dry run or not) and answers
 * the outcome.
 */
export function useDryRunUpload<Outcome>(send: (file: File, dryRun: boolean) => Promise<Outcome>) {
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  /** Another file: the outcome and the error shown were about the previous one. */
  function choose(next: File | null) {
    setFile(next);
    setOutcome(null);
    setError(null);
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await send(file, dryRun));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return { file, outcome, error, setError, busy, choose, run };
}

export type DryRunUpload = Pick<ReturnType<typeof useDryRunUpload>, "file" | "busy" | "choose" | "run">;
