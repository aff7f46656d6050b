"""The e-mails, in the recipient's language (English when they chose none). In-app notifications carry data only:
the web app words them in whatever language it is showing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "ru", "cs")

# kind → language → (subject, body); fields: project, period, actor, comment, link, status, rows, error
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "report_submitted": {
        "en": (
            "Report {period} of {project} waits for your approval",
            "{actor} submitted the report for {period} of {project}.\n\nApprove it or return it: {link}",
        ),
        "ru": (
            "Отчёт за {period} по проекту «{project}» ждёт вашего утверждения",
            "{actor} отправил(а) отчёт за {period} по проекту «{project}».\n\nУтвердите или верните его: {link}",
        ),
        "cs": (
            "Zpráva za {period} projektu {project} čeká na vaše schválení",
            "{actor} odeslal(a) zprávu za {period} projektu {project}.\n\nSchvalte ji, nebo vraťte: {link}",
        ),
    },
    "report_returned": {
        "en": (
            "Report {period} of {project} was returned to you",
            "{actor} returned the report for {period} of {project}:\n\n{comment}\n\nChange it and submit it again: {link}",
        ),
        "ru": (
            "Отчёт за {period} по проекту «{project}» возвращён вам",
            "{actor} вернул(а) отчёт за {period} по проекту «{project}»:\n\n{comment}\n\nИсправьте и отправьте снова: {link}",
        ),
        "cs": (
            "Zpráva za {period} projektu {project} vám byla vrácena",
            "{actor} vrátil(a) zprávu za {period} projektu {project}:\n\n{comment}\n\nUpravte ji a odešlete znovu: {link}",
        ),
    },
    "report_approved": {
        "en": (
            "Report {period} of {project} was approved",
            "{actor} approved the report for {period} of {project}. {comment}\n\n{link}",
        ),
        "ru": (
            "Отчёт за {period} по проекту «{project}» утверждён",
            "{actor} утвердил(а) отчёт за {period} по проекту «{project}». {comment}\n\n{link}",
        ),
        "cs": (
            "Zpráva za {period} projektu {project} byla schválena",
            "{actor} schválil(a) zprávu za {period} projektu {project}. {comment}\n\n{link}",
        ),
    },
    "report_due": {
        "en": (
            "A report for {period} of {project} is due",
            "The period {period} has ended: the report of {project} for it is due.\n\nStart it from your reports: {link}",
        ),
        "ru": (
            "Пора сдать отчёт за {period} по проекту «{project}»",
            "Период {period} закончился: пора сдать отчёт по проекту «{project}» за него.\n\nНачните его в разделе «Мои отчёты»: {link}",
        ),
        "cs": (
            "Je čas odevzdat zprávu za {period} projektu {project}",
            "Období {period} skončilo: je čas odevzdat za ně zprávu projektu {project}.\n\nZačněte ji ve svých zprávách: {link}",
        ),
    },
    "import_finished": {
        "en": (
            "Your import has finished: {status}",
            "The import you started has finished: {status}. Rows: {rows}. {error}\n\n{link}",
        ),
        "ru": (
            "Ваш импорт завершён: {status}",
            "Начатый вами импорт завершён: {status}. Строк: {rows}. {error}\n\n{link}",
        ),
        "cs": (
            "Váš import skončil: {status}",
            "Import, který jste spustili, skončil: {status}. Řádků: {rows}. {error}\n\n{link}",
        ),
    },
}

IMPORT_STATUS = {
    "done": {"en": "done", "ru": "выполнен", "cs": "hotovo"},
    "dry_run": {
        "en": "checked (a dry run: nothing was written)",
        "ru": "проверен (пробный запуск: ничего не записано)",
        "cs": "zkontrolováno (zkušební běh: nic nebylo zapsáno)",
    },
    "conflicts": {
        "en": "conflicts found, nothing was written",
        "ru": "найдены конфликты, ничего не записано",
        "cs": "nalezeny konflikty, nic nebylo zapsáno",
    },
    "failed": {
        "en": "failed, nothing was written",
        "ru": "не удался, ничего не записано",
        "cs": "selhal, nic nebylo zapsáno",
    },
}

A_PROJECT = {"en": "a project", "ru": "проект", "cs": "projekt"}
SOMEONE = {"en": "Someone", "ru": "Кто-то", "cs": "Někdo"}
FOOTER = {
    "en": "\n\n-- \nMigration Capacity-Building Registry. Choose what you receive: {prefs}",
    "ru": "\n\n-- \nРеестр проектов по развитию потенциала в сфере миграции. Настроить уведомления: {prefs}",
    "cs": "\n\n-- \nRegistr projektů budování kapacit v oblasti migrace. Nastavení oznámení: {prefs}",
}


def link_for(kind: str, data: Mapping[str, Any], app_url: str) -> str:
    base = app_url.rstrip("/")
    if kind.startswith("report_") and kind != "report_due" and data.get("report_id"):
        return f"{base}/reports/{data['report_id']}"
    if kind == "import_finished":
        return f"{base}/reporting"
    return f"{base}/inbox"


def render(kind: str, data: Mapping[str, Any], language: str | None, app_url: str) -> tuple[str, str]:
    """(subject, body) of the e-mail about this event, in the language (English when unknown)."""
    lang = language if language in LANGUAGES else "en"
    subject, body = TEMPLATES[kind][lang]
    status = str(data.get("status") or "done")
    fields = {
        "project": data.get("project_title") or data.get("project_code") or A_PROJECT[lang],
        "period": data.get("period") or "",
        "actor": data.get("actor_name") or SOMEONE[lang],
        "comment": data.get("comment") or "",
        "link": link_for(kind, data, app_url),
        "status": IMPORT_STATUS.get(status, IMPORT_STATUS["done"])[lang],
        "rows": data.get("rows", 0),
        "error": data.get("error") or "",
    }
    footer = FOOTER[lang].format(prefs=f"{app_url.rstrip('/')}/notifications")
    # Subjects are one line whatever a title holds.
    return " ".join(subject.format(**fields).split()), body.format(**fields).strip() + footer
