// Types for dev/pg-migrate.mjs (a plain script, so `npm run setup` needs no TypeScript loader).
export function applyPgMigrations(url: string, opts?: { pending?: boolean; log?: (message: string) => void }): Promise<string[]>;
export function pgConnection(url: string): { schema: string; config: { connectionString: string; options: string; connectionTimeoutMillis: number } };
export function checksum(sql: string): string;
export function dropPgSchema(url: string): Promise<void>;
