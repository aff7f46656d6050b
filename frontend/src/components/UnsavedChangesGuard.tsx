import { useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useBlocker } from "react-router";

/**
 * Keeps unsaved work from being lost: leaving the page inside the app asks first (a dialog, keyboard-operable:
 * Escape or "Stay" keeps you here), and closing or reloading the tab gets the browser's own question.
 */
export function UnsavedChangesGuard({ when }: { when: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const stay = useRef<HTMLButtonElement>(null);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => when && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!when) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [when]);

  useEffect(() => {
    if (blocker.state === "blocked") stay.current?.focus();
  }, [blocker.state]);

  if (blocker.state !== "blocked") return null;
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        onKeyDown={(event) => {
          if (event.key === "Escape") blocker.reset();
          // Modal: Tab and Shift+Tab go round the dialog's two buttons, never behind it.
          if (event.key === "Tab") {
            const buttons = [...event.currentTarget.querySelectorAll("button")];
            const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
            const next = buttons[(at + (event.shiftKey ? buttons.length - 1 : 1)) % buttons.length];
            event.preventDefault();
            next?.focus();
          }
        }}
      >
        <h2 id={`${id}-title`}>{t("unsaved.title")}</h2>
        <p id={`${id}-body`}>{t("unsaved.body")}</p>
        <div className="form-actions">
          <button ref={stay} type="button" className="primary" onClick={() => blocker.reset()}>
            {t("unsaved.stay")}
          </button>
          <button type="button" onClick={() => blocker.proceed()}>
            {t("unsaved.leave")}
          </button>
        </div>
      </div>
    </div>
  );
}
