"""Every table of projects-api, imported once so the metadata (and Alembic) sees them all."""

from projects_api.activities.models import Activity, ActivityParticipant
from projects_api.audit.models import AuditEvent
from projects_api.database import Base
from projects_api.funding.models import Budget, ExchangeRate, Transaction
from projects_api.iati.models import IatiImportJob
from projects_api.identity.models import ApiClient, RefreshToken, RoleGrant, User
from projects_api.organisations.models import Organisation
from projects_api.projects.models import (
    Project,
    ProjectCountry,
    ProjectLocation,
    ProjectParticipant,
    ProjectSector,
    ProjectTheme,
)
from projects_api.projects.read_tables import (
    ProjectCountryCount,
    ProjectDocument,
    ProjectListing,
    ProjectListingCountry,
    ReferenceLabel,
)

__all__ = [
    "Activity",
    "ActivityParticipant",
    "ApiClient",
    "AuditEvent",
    "Base",
    "Budget",
    "ExchangeRate",
    "IatiImportJob",
    "Organisation",
    "Project",
    "ProjectCountry",
    "ProjectCountryCount",
    "ProjectDocument",
    "ProjectListing",
    "ProjectListingCountry",
    "ProjectLocation",
    "ProjectParticipant",
    "ProjectSector",
    "ProjectTheme",
    "ReferenceLabel",
    "RefreshToken",
    "RoleGrant",
    "Transaction",
    "User",
]
