"""Report attachments: size-limited and type-checked by their first bytes, not by their name."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from registry_kit.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType
from reporting_api.access import require_write
from reporting_api.projects.client import ProjectsClient
from reporting_api.reports import repository
from reporting_api.reports.models import Attachment

SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument", (".docx", ".xlsx", ".pptx", ".odt", ".ods")),
)
TEXT = {".csv": "text/csv", ".txt": "text/plain"}
OFFICE = {".docx": "wordprocessingml.document", ".xlsx": "spreadsheetml.sheet"}
# Every media type an attachment can be kept as (the download's documented content types).
MEDIA_TYPES = (
    *(m for _, m, _ in SIGNATURES if not m.endswith("officedocument")),
    *(f"application/vnd.openxmlformats-officedocument.{kind}" for kind in OFFICE.values()),
    "application/zip",
    *TEXT.values(),
)


def sniff(filename: str, content: bytes) -> str:
    """The media type the content really has, if it is one we keep and the name's extension agrees; 415 otherwise,
    saying which of the two is wrong."""
    suffix = PurePath(filename).suffix.lower()
    for magic, media_type, suffixes in SIGNATURES:
        if content.startswith(magic) and suffix in suffixes:
            if media_type.endswith("officedocument"):
                kind = OFFICE.get(suffix)
                return f"{media_type}.{kind}" if kind else "application/zip"
            return media_type
    if suffix in TEXT and _is_text(content):
        return TEXT[suffix]
    found = _content_kind(content)
    if found is not None and suffix not in KEPT_SUFFIXES:
        detail = f"{filename} has {found} content but no extension for it (name it {_suffixes_of(found)})."
    elif found is not None:
        detail = f"{filename} is named {suffix} but its content is {found}."
    else:
        detail = f"{filename} is not a PDF, PNG, JPEG, Office document, CSV or text file (checked by its content)."
    raise UnsupportedMediaType(detail)


KEPT_SUFFIXES = {s for _, _, suffixes in SIGNATURES for s in suffixes} | set(TEXT)


def _is_text(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in content


def _content_kind(content: bytes) -> str | None:
    """What kind of file we keep the content is, by its first bytes, whatever its name says."""
    for magic, media_type, _ in SIGNATURES:
        if content.startswith(magic):
            return {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}.get(media_type, "Office (zip)")
    return "text" if _is_text(content) else None


def _suffixes_of(kind: str) -> str:
    if kind == "text":
        return " or ".join(TEXT)
    for magic, _, suffixes in SIGNATURES:
        if _content_kind(magic) == kind:
            return " or ".join(suffixes)
    return "?"


MAX_NAME = 255  # the column's length
MAX_SUFFIX = 16


def safe_name(filename: str) -> str:
    """The file's own name without a path or characters that could break a header or a file system, cut to fit the
    column with its extension kept: the extension is what the content is checked against."""
    name = PurePath(filename.replace("\\", "/")).name.strip() or "attachment"
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')
    suffix = PurePath(name).suffix
    if len(name) <= MAX_NAME:
        return name
    if not suffix or len(suffix) > MAX_SUFFIX:
        return name[:MAX_NAME]
    return name[: MAX_NAME - len(suffix)].rstrip(". ") + suffix


async def add(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    report_id: uuid.UUID,
    filename: str,
    content: bytes,
    limit: int,
) -> Attachment:
    report = await repository.get(session, report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    await require_write(projects, principal, report.project_id, "report")
    if report.status not in ("draft", "returned"):
        raise Conflict(f"The report is {report.status}; attachments are added to drafts.")
    if len(content) > limit:
        raise PayloadTooLarge(f"An attachment may have at most {limit} bytes.")
    if not content:
        raise UnsupportedMediaType("The file is empty.")
    name = safe_name(filename)
    attachment = Attachment(
        report_id=report.id,
        filename=name,
        media_type=sniff(name, content),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_by=principal.subject,
    )
    session.add(attachment)
    await session.flush()
    return attachment


async def remove(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    report_id: uuid.UUID,
    attachment_id: uuid.UUID,
) -> None:
    report = await repository.get(session, report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    await require_write(projects, principal, report.project_id, "report")
    if report.status not in ("draft", "returned"):
        raise Conflict(f"The report is {report.status}; its attachments are locked.")
    attachment = await repository.attachment(session, report_id, attachment_id)
    if attachment is None:
        raise NotFound(f"No attachment {attachment_id}.")
    await session.delete(attachment)
    await session.flush()
