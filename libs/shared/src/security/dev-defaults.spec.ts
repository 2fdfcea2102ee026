import { DEV_JWT_SECRET as TOKEN_SCRIPT_SECRET } from '../../../dev/dev-token';
import { rolePassword, SERVICES } from '../../../dev/services';
import { DEV_JWT_SECRET, DEV_OTP_SECRET, DEV_SEALED_FIELDS_KEY, developmentSecretProblem, TEST_JWT_SECRET } from './dev-defaults';

/** libs/dev (plain JavaScript, shared with the scripts) keeps its own copies of some defaults: production must know them all. */
describe('development defaults', () => {
  it('are the ones the scripts use: the token script’s secret, provisioning’s role passwords', () => {
    expect(TOKEN_SCRIPT_SECRET).toBe(DEV_JWT_SECRET);
    const saved = Object.fromEntries(SERVICES.map((s) => [s.role, process.env[`${s.role.toUpperCase()}_PASSWORD`]]));
    try {
      for (const s of SERVICES) delete process.env[`${s.role.toUpperCase()}_PASSWORD`];
      for (const s of SERVICES)
        expect({ role: s.role, refused: developmentSecretProblem(rolePassword(s)) !== undefined }).toEqual({ role: s.role, refused: true });
    } finally {
      for (const [role, value] of Object.entries(saved)) if (value !== undefined) process.env[`${role.toUpperCase()}_PASSWORD`] = value;
    }
  });

  it('are each refused as a production secret, and so are placeholders; a random value is not', () => {
    for (const value of [
      DEV_JWT_SECRET,
      TEST_JWT_SECRET,
      DEV_OTP_SECRET,
      DEV_SEALED_FIELDS_KEY,
      'change-me',
      '<your MSG91 auth key>',
      'your-fcm-service-account',
      'xxxxxxxx',
      'placeholder',
    ]) {
      expect({ value, refused: developmentSecretProblem(value) !== undefined }).toEqual({ value, refused: true });
    }
    expect(developmentSecretProblem('3f9c1a7e5b2d8046c1e9a7b3d5f20c84')).toBeUndefined();
  });
});
