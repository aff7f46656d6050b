from alembic import context

from projects_api.models import Base
from registry_kit.migrations import run_env

run_env(Base.metadata, context.config, context.is_offline_mode())
