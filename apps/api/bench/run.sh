#!/bin/sh
# Runs the given API benchmarks (by default every bench/*.bench.ts) from source, one after the other.
# Through tsx's ESM loader alone, not the tsx command: that one also hooks require() and compiles an ESM-only
# package that a CommonJS one requires (@nestjs/core, required by @nestjs/throttler) into a second copy, whose
# Reflector is not the one the server's injector provides. Node's own require() of ESM shares the one instance.
set -e
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- bench/*.bench.ts
for f in "$@"; do
  echo "== $f"
  node --no-node-snapshot --conditions=sluice-source --import tsx/esm "$f"
done
