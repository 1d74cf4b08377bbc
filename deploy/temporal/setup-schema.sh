#!/bin/sh
# Create or upgrade Temporal's two databases (temporal, temporal_visibility) on PostgreSQL; safe on every start.
#
# Runs in the temporalio/admin-tools image as docker-compose.yml's one-shot `temporal-schema` job, before the
# server starts. Each temporal-sql-tool step is idempotent (create accepts an existing database, setup-schema
# keeps a newer version, update-schema applies only what is missing), so nothing here hides an error: any
# failing step stops the job with a non-zero exit, and the server, which waits for this job to complete
# successfully, does not start on a half-made schema.
#
# Environment: POSTGRES_SEEDS (host), POSTGRES_USER, DB_PORT (5432), SQL_PASSWORD_FILE (the password's file),
# SETUP_ATTEMPTS (30) and SETUP_PAUSE_SECONDS (5): how long to wait for PostgreSQL to accept connections.
set -eu

: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS}"
: "${POSTGRES_USER:?set POSTGRES_USER}"
: "${SQL_PASSWORD_FILE:?set SQL_PASSWORD_FILE}"
SQL_PASSWORD="$(cat "$SQL_PASSWORD_FILE")"
export SQL_PASSWORD
PORT="${DB_PORT:-5432}"
ATTEMPTS="${SETUP_ATTEMPTS:-30}"
PAUSE="${SETUP_PAUSE_SECONDS:-5}"
SCHEMA=/etc/temporal/schema/postgresql/v12

attempt=1
until nc -z -w 5 "$POSTGRES_SEEDS" "$PORT"; do
  if [ "$attempt" -ge "$ATTEMPTS" ]; then
    echo "temporal-schema: PostgreSQL at $POSTGRES_SEEDS:$PORT did not answer after $attempt attempts" >&2
    exit 1
  fi
  echo "temporal-schema: waiting for PostgreSQL at $POSTGRES_SEEDS:$PORT (attempt $attempt/$ATTEMPTS)"
  attempt=$((attempt + 1))
  sleep "$PAUSE"
done

for db in temporal temporal_visibility; do
  case "$db" in temporal) dir=temporal ;; *) dir=visibility ;; esac
  set -- --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" --db "$db"
  temporal-sql-tool "$@" create
  temporal-sql-tool "$@" setup-schema -v 0.0
  temporal-sql-tool "$@" update-schema -d "$SCHEMA/$dir/versioned"
  echo "temporal-schema: $db is at the newest schema"
done
