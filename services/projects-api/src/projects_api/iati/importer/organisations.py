"""Organisations of an IATI file matched to the registry's: by IATI identifier, or for those without one by name;
created when missing, flagged `needs_review`, and remembered for the rest of the file."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.service import record
from projects_api.iati.importer.model import OrgIn
from projects_api.organisations import repository
from projects_api.organisations.models import Organisation as OrganisationRow
from projects_api.organisations.schemas import Organisation
from registry_kit.auth import Principal


class OrganisationMatcher:
    def __init__(self, session: AsyncSession, principal: Principal, source: str) -> None:
        self.session, self.principal, self.source = session, principal, source
        self.known: dict[str, uuid.UUID] = {}
        self.kept: dict[uuid.UUID, tuple[str, str]] = {}  # the one name and type the registry keeps for each

    async def prime(self, orgs: Iterable[OrgIn]) -> None:
        """Look up every organisation of a batch of activities in two statements."""
        wanted = [o for o in orgs if o.key not in self.known]
        for ref, org in (await repository.by_identifiers(self.session, (o.ref for o in wanted if o.ref))).items():
            self.known[f"ref:{ref}"] = org.id
            self.kept[org.id] = (org.name, org.org_type)
        unnamed = (o.name for o in wanted if not o.ref and o.name)
        for name, org in (await repository.by_lower_names(self.session, unnamed)).items():
            self.known[f"name:{name}"] = org.id
            self.kept[org.id] = (org.name, org.org_type)

    def _differs(self, org: OrgIn, found: uuid.UUID, warnings: list[str]) -> None:
        """An organisation has one name and one type in the registry: a file giving it another one here is told
        what was kept (IATI's own example types its publisher 40 as reporting-org and 21 as participant)."""
        kept = self.kept.get(found)
        if kept is None:
            return
        name, org_type = kept
        if org.org_type and org.org_type != org_type:
            message = f"organisation {org.ref or name}: type {org.org_type} here, kept as {org_type}"
            if message not in warnings:
                warnings.append(message)
        if org.ref and org.name and org.name != name:
            message = f"organisation {org.ref}: named {org.name!r} here, kept as {name!r}"
            if message not in warnings:
                warnings.append(message)

    async def resolve(self, org: OrgIn, language: str, created: list[str], warnings: list[str]) -> uuid.UUID:
        found = self.known.get(org.key)
        if found is not None:
            self._differs(org, found, warnings)
            if org.name:  # an organisation named without its identifier elsewhere in the file is the same one
                self.known.setdefault(f"name:{org.name.lower()}", found)
            return found
        row = OrganisationRow(
            name=(org.name or org.ref or "?")[:300],
            iati_identifier=org.ref,
            org_type=org.org_type or "90",
            default_language=language,
            needs_review=True,
            source=self.source,
        )
        self.session.add(row)
        await self.session.flush()
        snapshot = Organisation.model_validate(row).model_dump(mode="json")
        record(
            self.session, self.principal, entity_type="organisation", entity_id=row.id, action="create", after=snapshot
        )
        self.known[org.key] = row.id
        self.kept[row.id] = (row.name, row.org_type)
        if org.name:
            self.known.setdefault(f"name:{org.name.lower()}", row.id)
        created.append(f"{row.name}" + (f" ({org.ref})" if org.ref else ""))
        return row.id

    def forget(self, ids: set[uuid.UUID]) -> None:
        """Organisations made inside a savepoint that was rolled back no longer exist."""
        self.known = {k: v for k, v in self.known.items() if v not in ids}
