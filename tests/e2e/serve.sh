#!/usr/bin/env bash
# Starts the real server for the browser tests over a fresh fixture database.
# Usage: serve.sh PORT (OCTOPUS_BUILD_DIR: the release build, default build/).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${OCTOPUS_BUILD_DIR:-build}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$build/tests/octopus_fixture_db" "$dir/e2e.db"
# The first administrator is made on the command line; accounts.spec.js reads
# the one-time link it prints.
artifacts="${OCTOPUS_E2E_ARTIFACTS:-tests/e2e/artifacts}"
mkdir -p "$artifacts"
"$build/src/octopus" --db "$dir/e2e.db" user add admin@example.org --role administrator \
  --base-url "http://127.0.0.1:$1" > "$artifacts/admin-link.txt"
# workflow.spec.js makes its own administrator on the command line, as the
# README's embedded setup does: it needs the database's path.
echo "$dir/e2e.db" > "$artifacts/db-path.txt"
"$build/src/octopus" --db "$dir/e2e.db" serve --listen "127.0.0.1:$1"
