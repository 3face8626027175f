// Types for dev/lib/postgres-schema.mjs (plain scripts, so `npm run setup` needs no TypeScript loader).
export const root: string;
export const SOURCE: string;
export const SQLITE_MIGRATIONS: string;
export const OUT_DIR: string;
export const MIGRATED_SCHEMA: string;
export const PG_MIGRATIONS: string;
export const MIRRORED: string;
export const CURRENT_SCHEMA: string;
export const PENDING_SQL: string;
export const CLIENT: string;
export function postgresSchema(source: string): string;
export function currentPostgresSchema(): string;
export function prisma(args: string[], env?: Record<string, string>): Promise<string>;
export function diffSchemas(from: string | null, to: string): Promise<string>;
export function migrationNames(dir: string): string[];
export function mirroredSqliteMigrations(): string[];
export function unmirroredSqliteMigrations(): string[];
export function writeAtomically(file: string, text: string): void;
