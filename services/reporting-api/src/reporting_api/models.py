"""Every table of reporting-api, imported once so the metadata (and Alembic) sees them all."""

from reporting_api.context.models import ContextSeries, ContextValue
from reporting_api.database import Base
from reporting_api.frameworks.models import ProjectIndicator, Result, Target
from reporting_api.imports.models import Dhis2Mapping, ImportJob, ImportUpload
from reporting_api.indicators.models import Indicator
from reporting_api.notifications.models import EmailOutbox, Notification, NotificationEvent, NotificationPreference
from reporting_api.projects.models import (
    ProjectCopy,
    ProjectCountryCopy,
    ProjectOrganisationCopy,
    ProjectThemeCopy,
    RegionCountry,
    SyncState,
)
from reporting_api.reports.models import (
    Attachment,
    Report,
    ReportEvent,
    ReportSubmission,
    ReportValue,
    ValueAudit,
)

__all__ = [
    "Attachment",
    "Base",
    "ContextSeries",
    "ContextValue",
    "Dhis2Mapping",
    "EmailOutbox",
    "ImportJob",
    "ImportUpload",
    "Indicator",
    "Notification",
    "NotificationEvent",
    "NotificationPreference",
    "ProjectCopy",
    "ProjectCountryCopy",
    "ProjectIndicator",
    "ProjectOrganisationCopy",
    "ProjectThemeCopy",
    "RegionCountry",
    "Report",
    "ReportEvent",
    "ReportSubmission",
    "ReportValue",
    "Result",
    "SyncState",
    "Target",
    "ValueAudit",
]
