import { allowedEvidenceType, DEFAULT_EVIDENCE_TYPES, planEvidenceTypes } from './evidence-types';

describe('a tenant’s evidence types', () => {
  it('defaults to the six built-in types, three of them with a file', () => {
    expect(DEFAULT_EVIDENCE_TYPES.map((t) => t.code)).toEqual(['photo', 'document', 'signature', 'form_data', 'note', 'otp']);
    expect(DEFAULT_EVIDENCE_TYPES.filter((t) => t.takesFile).map((t) => t.code)).toEqual(['photo', 'document', 'signature']);
  });

  it('adds a type of its own and disables a built-in one', () => {
    const types = planEvidenceTypes(
      [
        { code: 'photo', label: 'Photo' },
        { code: 'otp', label: 'OTP', enabled: false },
        { code: 'meter_reading', label: 'Meter reading', takesFile: false },
        { code: 'video', label: 'Video', takesFile: true },
      ],
      [],
    );
    expect(types).toEqual([
      { code: 'photo', label: 'Photo', takesFile: true, enabled: true },
      { code: 'otp', label: 'OTP', takesFile: false, enabled: false },
      { code: 'meter_reading', label: 'Meter reading', takesFile: false, enabled: true },
      { code: 'video', label: 'Video', takesFile: true, enabled: true },
    ]);
    expect(allowedEvidenceType(types, 'video').takesFile).toBe(true);
  });

  it('refuses to drop a type recorded evidence uses (disable it instead)', () => {
    expect(() => planEvidenceTypes([{ code: 'photo', label: 'Photo' }], ['photo', 'note'])).toThrow(
      expect.objectContaining({ code: 'BUSINESS_RULE', details: expect.objectContaining({ reason: 'TYPE_IN_USE', types: ['note'] }) }),
    );
    expect(
      planEvidenceTypes(
        [
          { code: 'photo', label: 'Photo' },
          { code: 'note', label: 'Note', enabled: false },
        ],
        ['photo', 'note'],
      ),
    ).toHaveLength(2);
  });

  it('refuses twice the same code, and a built-in type whose file rule is changed', () => {
    expect(() =>
      planEvidenceTypes(
        [
          { code: 'x', label: 'X' },
          { code: 'x', label: 'Y' },
        ],
        [],
      ),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => planEvidenceTypes([{ code: 'note', label: 'Note', takesFile: true }], [])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('answers 422 naming the allowed types for an unknown or disabled type', () => {
    const types = planEvidenceTypes(
      [
        { code: 'photo', label: 'Photo' },
        { code: 'note', label: 'Note', enabled: false },
      ],
      [],
    );
    expect(() => allowedEvidenceType(types, 'note')).toThrow(expect.objectContaining({ details: expect.objectContaining({ allowed: ['photo'] }) }));
    expect(() => allowedEvidenceType(types, 'video')).toThrow(expect.objectContaining({ code: 'BUSINESS_RULE' }));
  });
});
