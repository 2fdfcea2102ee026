import { checkInDistance, haversineMeters } from './geo-distance';

describe('haversine distance', () => {
  it('is zero for the same point', () => {
    expect(haversineMeters({ lat: 12.9756, lng: 77.6069 }, { lat: 12.9756, lng: 77.6069 })).toBe(0);
  });

  it('gives one degree of latitude as about 111.2 km', () => {
    expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, -1);
  });

  it('matches a known city distance (Bengaluru MG Road to Chennai Central, about 290 km)', () => {
    const d = haversineMeters({ lat: 12.9756, lng: 77.6069 }, { lat: 13.0827, lng: 80.2707 });
    expect(d / 1000).toBeGreaterThan(287);
    expect(d / 1000).toBeLessThan(292);
  });

  it('is symmetric and handles the antimeridian', () => {
    const a = { lat: -16.5, lng: 179.9 };
    const b = { lat: -16.5, lng: -179.9 };
    expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 6);
    expect(haversineMeters(a, b)).toBeLessThan(25_000);
  });

  it('never exceeds half the circumference (antipodes)', () => {
    expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });
});

describe('check-in distance against the visit location', () => {
  const site = { lat: 12.9756, lng: 77.6069 };

  it('is inside a 500 m radius a few metres away', () => {
    expect(checkInDistance(site, { lat: 12.9757, lng: 77.607 }, 500)).toEqual({ distanceMeters: 16, outside: false });
  });

  it('is outside the radius about 1.1 km away', () => {
    const r = checkInDistance(site, { lat: 12.9856, lng: 77.6069 }, 500)!;
    expect(r.outside).toBe(true);
    expect(r.distanceMeters).toBeGreaterThan(1000);
  });

  it('cannot compare without the visit’s coordinates', () => {
    expect(checkInDistance({ lat: 12.9 }, { lat: 12.9, lng: 77.6 }, 500)).toBeNull();
    expect(checkInDistance(null, { lat: 12.9, lng: 77.6 }, 500)).toBeNull();
  });
});
