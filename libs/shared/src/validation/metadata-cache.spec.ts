import { getMetadataStorage, IsInt, IsOptional, IsString, MetadataStorage, Min, validate } from 'class-validator';
import { inRange, installedVersion } from '../testing/installed-version';
import { rememberValidationMetadata, RELIES_ON } from './metadata-cache';
import { VALIDATION_OPTIONS } from './validate-dto';

class Base {
  @IsString()
  name!: string;
}
class Child extends Base {
  @IsInt()
  @Min(1)
  count!: number;
}

const errorsOf = async (o: object) => (await validate(o, VALIDATION_OPTIONS)).map((e) => e.property).sort();

describe('rememberValidationMetadata', () => {
  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, check what the adapter relies on and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('validates exactly as before, inherited rules included', async () => {
    expect(await errorsOf(Object.assign(new Child(), { name: 'a', count: 2 }))).toEqual([]);
    expect(await errorsOf(Object.assign(new Child(), { name: 3, count: 0 }))).toEqual(['count', 'name']);
    expect(await errorsOf(Object.assign(new Child(), { name: 'a', count: 2, extra: true }))).toEqual(['extra']);
  });

  it('answers the same lookup from memory', () => {
    const storage = new MetadataStorage();
    rememberValidationMetadata(storage);
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
  });

  it('sees rules added after a lookup (a class defined later, a subclass of one already looked up)', async () => {
    expect(await errorsOf(Object.assign(new Base(), { name: 'a' }))).toEqual([]);
    class Later extends Base {
      @IsOptional()
      @IsString()
      note?: string;
    }
    expect(await errorsOf(Object.assign(new Later(), { name: 'a', note: 5 }))).toEqual(['note']);
    expect(await errorsOf(Object.assign(new Base(), { name: 'a', note: 'x' }))).toEqual(['note']);
  });

  it('forgets a class’s remembered rules when a rule is added to it', () => {
    class Decorated {}
    const storage = getMetadataStorage();
    expect(storage.getTargetValidationMetadatas(Decorated, '', false, false)).toHaveLength(0);
    IsString()(Decorated.prototype, 'title');
    expect(storage.getTargetValidationMetadatas(Decorated, '', false, false).map((m) => m.propertyName)).toEqual(['title']);
  });

  it('keeps lookups with different options apart', () => {
    const storage = new MetadataStorage();
    rememberValidationMetadata(storage);
    const a = storage.getTargetValidationMetadatas(Child, '', false, false);
    const b = storage.getTargetValidationMetadatas(Child, '', false, false, ['admin']);
    expect(b).not.toBe(a);
  });
});
