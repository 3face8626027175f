#!/usr/bin/env bash
# Writes the migrations for a schema change, for both databases (docs/postgres.md, "Migrations"):
#   prisma/migrations/<timestamp>_<name>/migration.sql           SQLite: the difference between the
#       schema at a git revision (default HEAD) and the working schema;
#   prisma/postgres/migrations/<timestamp>_<name>/migration.sql  PostgreSQL: the difference between
#       the PostgreSQL copy of the schema the committed PostgreSQL migrations reach and the PostgreSQL
#       copy of the working schema (dev/pg-migration.mjs), mirroring every SQLite migration not yet
#       mirrored. `--sqlite-only` skips it (the coordinator mirrors at merge time).
# `prisma migrate dev` cannot be used offline (its WASM engine cannot replay migrations into a
# shadow database), so this diffs schemas.
set -euo pipefail
sqlite_only=""
if [ "${1:-}" = "--sqlite-only" ]; then sqlite_only=1; shift; fi
name=${1:?usage: dev/new-migration.sh [--sqlite-only] <name> [base-rev]}
base=${2:-HEAD}
cd "$(dirname "$0")/.."
old=$(mktemp --suffix .prisma)
git show "$base:prisma/schema.prisma" > "$old"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
if [ -z "$sqlite_only" ]; then node dev/pg-migration.mjs "$name"; fi
