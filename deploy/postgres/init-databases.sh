#!/bin/sh
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d/): one role and one
# database per service, each service owning its own database and reaching no other.
# Needs POSTGRES_USER (the image's), PROJECTS_DB_PASSWORD and REPORTING_DB_PASSWORD; names can be changed with
# PROJECTS_DB_NAME / PROJECTS_DB_USER / REPORTING_DB_NAME / REPORTING_DB_USER.
set -eu

create() {
    # $1 role, $2 password, $3 database
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
        -v role="$1" -v password="$2" -v db="$3" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL
}

create "${PROJECTS_DB_USER:-projects}" "$PROJECTS_DB_PASSWORD" "${PROJECTS_DB_NAME:-projects}"
create "${REPORTING_DB_USER:-reporting}" "$REPORTING_DB_PASSWORD" "${REPORTING_DB_NAME:-reporting}"
