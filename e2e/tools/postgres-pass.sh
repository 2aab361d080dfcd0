#!/usr/bin/env bash
# Runs the API and e2e suites against a throwaway PostgreSQL cluster (see with-postgres.sh) with SLUICE_TEST_DB=postgres.
set -euo pipefail
cd "$(dirname "$0")/../.."
SLUICE_TEST_DB=postgres e2e/tools/with-postgres.sh node e2e/tools/run-tests.mjs --projects=@sluice/api,@sluice/e2e
