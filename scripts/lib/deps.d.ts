export function installDependencies(
  log?: (m: string) => void,
  run?: (args: string[]) => { status: number | null; stderr?: string | null },
  hasLockfile?: boolean,
): void;
export function ensureDependencies(log?: (m: string) => void): boolean;
export const ROOT: string;
