#!/usr/bin/env bash
# The cluster suite: three nodes on one throwaway PostgreSQL cluster (see with-postgres.sh). Needs a build first.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/with-postgres.sh npx vitest run --config vitest.cluster.config.ts "$@"
