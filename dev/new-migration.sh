#!/usr/bin/env bash
# Creates prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the schema
# at a git revision (default HEAD) and the working schema. `prisma migrate dev` cannot be used
# offline (its WASM engine cannot replay migrations into a shadow database), so this diffs schemas.
set -euo pipefail
name=${1:?usage: dev/new-migration.sh <name> [base-rev]}
base=${2:-HEAD}
cd "$(dirname "$0")/.."
old=$(mktemp --suffix .prisma)
git show "$base:prisma/schema.prisma" > "$old"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
