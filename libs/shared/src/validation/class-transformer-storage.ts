import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

/**
 * Adapter over a class-transformer internal. class-transformer's metadata (the `@Type` of nested classes)
 * lives in a module it does not export by name; the document generator and the input rules need it to
 * name nested schemas, and this is the one place that reaches for it. Relies on: the file
 * `class-transformer/cjs/storage` exporting `defaultMetadataStorage`, whose `findTypeMetadata(target, property)`
 * answers the `@Type` of a property. Checked against the versions below; class-transformer-storage.spec.ts
 * fails on any other.
 */
export const RELIES_ON = { package: 'class-transformer', range: '0.5.1' } as const;

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const defaultMetadataStorage: MetadataStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage })
  .defaultMetadataStorage;
