# ruff: noqa: S608 - SQL built from the constants of migration 0016 and this file, never from input
"""the kept list items and documents carry the texts in several languages and the reporting organisation

Revision ID: 0003_i13_reads
Revises: 0003_i13_texts
Create Date: 2026-12-04 14:10:00

Migration 0016 keeps each project's list item (ProjectSummary) and document (Project) as JSON text; the IATI work
(0003_i13_texts) gave both new fields: `language` and `titles` on the item, and also `descriptions` and
`reporting_organisation` ({id, name, acronym} or null) on the document. `project_reads_refresh` is replaced by one
that writes them, the organisation-renamed trigger now also refreshes the projects the organisation reports (it
covered only those it takes part in), and every kept row is computed once again. The SQL is 0016's with the fields
added, so 0016 stays the one place that says how a row is kept; the downgrade puts 0016's functions back.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0003_i13_reads"
down_revision: str | None = "0003_i13_texts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HEAD = "'id', p.id, 'code', p.code, 'title', p.title, 'status', p.status,"
_TEXTS = "'id', p.id, 'code', p.code, 'title', p.title, 'language', p.language, 'titles', p.titles, 'status', p.status,"
_DESCRIPTION = "'description', p.description, "
_DESCRIPTIONS = (
    "'description', p.description, 'descriptions', p.descriptions, 'reporting_organisation', "
    "(SELECT json_build_object('id', r.id, 'name', r.name, 'acronym', r.acronym) "
    "FROM organisation r WHERE r.id = p.reporting_org_id), "
)

# An organisation renamed: the rows that name it, as a participant or as the reporting organisation.
NAMES = """
CREATE OR REPLACE FUNCTION project_reads_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM project_reads_refresh((
        WITH renamed AS (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.name, n.acronym) IS DISTINCT FROM (o.name, o.acronym)
        )
        SELECT array_agg(DISTINCT k) FROM (
            SELECT x.project_id FROM project_participant x JOIN renamed r ON r.id = x.organisation_id
            UNION SELECT p.id FROM project p JOIN renamed r ON r.id = p.reporting_org_id
        ) touched(k)));
    RETURN NULL;
END
$$"""


def _read_tables() -> Any:
    """Migration 0016, for the SQL it keeps the rows with."""
    path = Path(__file__).with_name("2026-12-04-1220_project_read_tables.py")
    spec = importlib.util.spec_from_file_location("project_read_tables_0016", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replaced(sql: str) -> str:
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def refresh_with_texts() -> str:
    previous = _read_tables()
    item, document = previous.ITEM, previous.DOCUMENT
    if item.count(_HEAD) != 1 or document.count(_HEAD) != 1 or document.count(_DESCRIPTION) != 1:
        raise RuntimeError("migration 0016's ITEM or DOCUMENT is not the SQL this migration extends")
    new_item = item.replace(_HEAD, _TEXTS)
    new_document = document.replace(_HEAD, _TEXTS).replace(_DESCRIPTION, _DESCRIPTIONS)
    refresh = previous.REFRESH
    if refresh.count(item) != 1 or refresh.count(document) != 1:
        raise RuntimeError("migration 0016's REFRESH does not hold its ITEM and DOCUMENT once each")
    return _replaced(refresh.replace(item, new_item).replace(document, new_document))


def upgrade() -> None:
    op.execute(refresh_with_texts())
    op.execute(NAMES)
    op.execute("SELECT project_reads_refresh(array_agg(id)) FROM project")


def downgrade() -> None:
    previous = _read_tables()
    op.execute(_replaced(previous.REFRESH))
    op.execute(_replaced(previous.NAMES))
    op.execute("SELECT project_reads_refresh(array_agg(id)) FROM project")
