export function build(options?: { log?: (m: string) => void; outDir?: string }): Promise<number>;
export const DEFAULT_OUT: string;
