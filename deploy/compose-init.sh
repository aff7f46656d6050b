#!/bin/sh
# First install on one host: writes .env from .env.example with every secret filled in (random database
# passwords, reporting-api's client secret, a new token signing key) and the first admin's email and password.
#   sh deploy/compose-init.sh admin@example.org            # the password is generated and printed once
#   ADMIN_PASSWORD=… sh deploy/compose-init.sh admin@example.org
# It never overwrites an existing .env. Needs openssl.
set -eu

email=${1:?usage: sh deploy/compose-init.sh ADMIN_EMAIL}
env_file=${ENV_FILE:-.env}
example=${ENV_EXAMPLE:-.env.example}

if [ -e "$env_file" ]; then
    echo "$env_file exists: nothing changed (delete it to start again)" >&2
    exit 1
fi
case $email in
    *@*.*) ;;
    *) echo "not an email address: $email" >&2; exit 2 ;;
esac

password=${ADMIN_PASSWORD:-$(openssl rand -base64 18 | tr -d '/+=')}
if [ "${#password}" -lt 12 ]; then
    echo "the admin's password needs at least 12 characters" >&2
    exit 2
fi
# The key on one line with \n escapes, in double quotes: Compose and the services' .env reader both decode it.
key=$(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt | awk '{printf "%s\\\\n", $0}')

umask 077
# Letters and digits only: the database passwords go into URLs.
sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(openssl rand -hex 24)|" \
    -e "s|^PROJECTS_DB_PASSWORD=.*|PROJECTS_DB_PASSWORD=$(openssl rand -hex 24)|" \
    -e "s|^REPORTING_DB_PASSWORD=.*|REPORTING_DB_PASSWORD=$(openssl rand -hex 24)|" \
    -e "s|^REPORTING_PROJECTS_CLIENT_SECRET=.*|REPORTING_PROJECTS_CLIENT_SECRET=$(openssl rand -hex 24)|" \
    -e "s|^PROJECTS_BOOTSTRAP_ADMIN_EMAIL=.*|PROJECTS_BOOTSTRAP_ADMIN_EMAIL=$email|" \
    -e "s|^PROJECTS_BOOTSTRAP_ADMIN_PASSWORD=.*|PROJECTS_BOOTSTRAP_ADMIN_PASSWORD=$password|" \
    -e "s|^PROJECTS_JWT_PRIVATE_KEY=.*|PROJECTS_JWT_PRIVATE_KEY=\"$key\"|" \
    "$example" > "$env_file"

echo "wrote $env_file (mode 600). The first admin: $email, password: $password"
echo "Sign in, change the password, then delete the PROJECTS_BOOTSTRAP_ADMIN_PASSWORD line from $env_file."
