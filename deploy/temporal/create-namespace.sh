#!/bin/sh
# Register the namespace and the typed search attributes every process upserts; safe on every start.
#
# Runs in the temporalio/admin-tools image as docker-compose.yml's one-shot `temporal-namespace` job (and
# against the dev server in the tests). It waits for the cluster to be healthy, then retries each step: a
# namespace just created takes a few seconds to be seen by every frontend. It ends by checking that every
# attribute is registered with its type, and exits non-zero, saying what is missing, if any step never
# succeeded: the worker, which waits for this job to complete successfully, would otherwise start against
# a namespace whose upserts all fail. An attribute registered with another type is such a failure.
#
# Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, SEARCH_ATTRIBUTES ("Name=Type ..." as the CLI spells
# them, e.g. "CaseStage=Keyword NextDueAt=Datetime"), NAMESPACE_RETENTION (30d), SETUP_ATTEMPTS (30),
# SETUP_PAUSE_SECONDS (5); TEMPORAL_API_KEY_FILE, a file holding the operator's JWT, when the frontend has
# the JWT authorizer; the CLI's own TEMPORAL_TLS_* variables for mutual TLS.
set -eu

: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}"
: "${TEMPORAL_NAMESPACE:?set TEMPORAL_NAMESPACE}"
: "${SEARCH_ATTRIBUTES:?set SEARCH_ATTRIBUTES}"
export TEMPORAL_ADDRESS
RETENTION="${NAMESPACE_RETENTION:-30d}"
ATTEMPTS="${SETUP_ATTEMPTS:-30}"
PAUSE="${SETUP_PAUSE_SECONDS:-5}"
if [ -n "${TEMPORAL_API_KEY_FILE:-}" ]; then
  TEMPORAL_API_KEY="$(cat "$TEMPORAL_API_KEY_FILE")"
  export TEMPORAL_API_KEY
fi

# retry WHAT COMMAND...: run COMMAND until it succeeds, at most SETUP_ATTEMPTS times; then fail, naming WHAT.
retry() {
  what="$1"
  shift
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      echo "temporal-namespace: FAILED: $what, after $attempt attempts" >&2
      exit 1
    fi
    echo "temporal-namespace: not yet: $what (attempt $attempt/$ATTEMPTS)"
    attempt=$((attempt + 1))
    sleep "$PAUSE"
  done
}

ensure_namespace() {
  temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1 \
    || temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$RETENTION"
}

# The type as the server lists it: KeywordList -> INDEXED_VALUE_TYPE_KEYWORD_LIST.
indexed_type() {
  printf 'INDEXED_VALUE_TYPE_%s' "$(printf '%s' "$1" | sed 's/\([a-z]\)\([A-Z]\)/\1_\2/g' | tr '[:lower:]' '[:upper:]')"
}

retry "the cluster at $TEMPORAL_ADDRESS is healthy" temporal operator cluster health
retry "namespace $TEMPORAL_NAMESPACE exists" ensure_namespace
for attribute in $SEARCH_ATTRIBUTES; do
  name="${attribute%%=*}"
  type="${attribute#*=}"
  retry "search attribute $name ($type)" \
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
done

registered="$(temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" --output json)"
for attribute in $SEARCH_ATTRIBUTES; do
  name="${attribute%%=*}"
  expected="\"$name\": \"$(indexed_type "${attribute#*=}")\""
  if ! printf '%s\n' "$registered" | grep -q "$expected"; then
    echo "temporal-namespace: FAILED: $name is not registered as ${attribute#*=} in $TEMPORAL_NAMESPACE" >&2
    exit 1
  fi
done
echo "temporal-namespace: $TEMPORAL_NAMESPACE is ready with $SEARCH_ATTRIBUTES"
