/** Builds apps/console with Vite into `<outDir>/console` and resolves with that folder. */
export function buildConsole(options?: { outDir?: string; log?: (m: string) => void }): Promise<string>;
