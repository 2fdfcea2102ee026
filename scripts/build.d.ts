export function build(options?: { log?: (m: string) => void; outDir?: string; console?: boolean }): Promise<number>;
export const DEFAULT_OUT: string;
