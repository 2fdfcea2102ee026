import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

/**
 * class-transformer's metadata (the `@Type` of nested classes) lives in a module it does not export by name.
 * The document generator needs it to name nested schemas; this is the one place that reaches for it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const defaultMetadataStorage: MetadataStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage }).defaultMetadataStorage;
