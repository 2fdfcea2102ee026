export function provision(adminUrl: string, database: string): Promise<void>;
export function ensureRoles(adminUrl: string): Promise<void>;
export function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void>;
export function ensureSchemas(adminUrl: string, database: string): Promise<void>;
export function dropDatabase(adminUrl: string, database: string): Promise<void>;
export function withDatabase(url: string, database: string): string;
