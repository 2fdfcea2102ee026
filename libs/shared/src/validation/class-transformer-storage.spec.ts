import 'reflect-metadata';
import { Type } from 'class-transformer';
import { inRange, installedVersion } from '../testing/installed-version';
import { defaultMetadataStorage, RELIES_ON } from './class-transformer-storage';

class Inner {
  name!: string;
}
class Outer {
  @Type(() => Inner)
  inner!: Inner;
}

describe('class-transformer storage adapter', () => {
  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, check what the adapter relies on and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('finds the @Type of a nested property in the storage the decorators write to', () => {
    expect(defaultMetadataStorage.findTypeMetadata(Outer, 'inner')?.typeFunction()).toBe(Inner);
  });
});
