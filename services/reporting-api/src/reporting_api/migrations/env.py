from alembic import context

from registry_kit.migrations import run_env
from reporting_api.models import Base

run_env(Base.metadata, context.config, context.is_offline_mode())
