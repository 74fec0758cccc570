#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster on loopback and creates the test database and its two roles:
# irae_owner owns the schema (runs migrations); irae_app is what a workstation connects as.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >/dev/null
fi
pg_ctlcluster "$ver" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
run_psql() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -c \"$1\""; }
run_psql "DROP DATABASE IF EXISTS irae_test WITH (FORCE)"
run_psql "DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='irae_owner') THEN
    CREATE ROLE irae_owner LOGIN PASSWORD 'irae-ci-owner' CREATEDB; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='irae_app') THEN
    CREATE ROLE irae_app LOGIN PASSWORD 'irae-ci-app'; END IF;
END \\\$\\\$"
# the owner creates the clinicians' own logins and the two group roles (irae-desktop admin)
run_psql "ALTER ROLE irae_owner CREATEROLE"
# the tests drop their throwaway databases WITH (FORCE), which ends sessions of the app role too
run_psql "GRANT pg_signal_backend TO irae_owner"
run_psql "CREATE DATABASE irae_test OWNER irae_owner"
echo "PostgreSQL $ver ready on 127.0.0.1:5432 (database irae_test)"
