"""A project's texts in several languages and its publisher: the values a create or an update stores."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.organisations import repository as organisations
from projects_api.projects.models import Project
from projects_api.projects.schemas import ProjectCreate, ProjectUpdate
from registry_kit import narratives
from registry_kit.errors import invalid
from registry_kit.narratives import DEFAULT_LANGUAGE, check_language, resolve


@dataclass
class Texts:
    language: str
    title: str | None
    titles: dict[str, str]
    description: str | None
    descriptions: dict[str, str]

    def columns(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "title": self.title,
            "titles": self.titles,
            "description": self.description,
            "descriptions": self.descriptions,
        }


async def reporting_org(session: AsyncSession, sent: uuid.UUID | None, code: str) -> uuid.UUID | None:
    """The organisation sent (it must exist), else the one whose IATI identifier prefixes the code."""
    if sent is not None:
        if not await organisations.existing_ids(session, [sent]):
            raise invalid("body.reporting_organisation_id", f"no organisation {sent}", "unknown")
        return sent
    return await organisations.by_identifier_prefix(session, code)


async def for_create(session: AsyncSession, data: ProjectCreate, reporting_org_id: uuid.UUID | None) -> Texts:
    language = data.language or await organisations.default_language(session, reporting_org_id) or DEFAULT_LANGUAGE
    check_language(language, "body.language")
    title, titles = resolve(data.title, data.titles, language, "title", required=True)
    description, descriptions = resolve(data.description, data.descriptions, language, "description", required=False)
    return Texts(language, title, titles, description, descriptions)


def _one(
    sent: ProjectUpdate, project: Project, language: str, plain: str, *, required: bool
) -> tuple[str | None, dict[str, str]]:
    return narratives.update(
        field=plain,
        language=language,
        sent=sent.model_fields_set,
        text=getattr(sent, plain),
        narratives=getattr(sent, plain + "s"),
        current_text=getattr(project, plain),
        current=getattr(project, plain + "s"),
        required=required,
    )


def for_update(sent: ProjectUpdate, project: Project) -> Texts | None:
    """The new texts when the update touches any of them, else None."""
    touched = {"title", "titles", "description", "descriptions", "language"} & sent.model_fields_set
    if not touched:
        return None
    if "language" in sent.model_fields_set and sent.language is None:
        raise invalid("body.language", "may not be null", "required")
    language = check_language(sent.language or project.language, "body.language")
    title, titles = _one(sent, project, language, "title", required=True)
    description, descriptions = _one(sent, project, language, "description", required=False)
    return Texts(language, title, titles, description, descriptions)
