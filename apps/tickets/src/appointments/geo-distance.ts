/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;

export interface LatLng {
  lat: number;
  lng: number;
}

/** Great-circle distance in metres between two points (haversine formula; within about 0.5 % of the ellipsoid). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** How a check-in compares with the visit's location; null when the visit has no coordinates to compare with. */
export function checkInDistance(
  site: Partial<LatLng> | null | undefined,
  fix: LatLng,
  radiusMeters: number,
): { distanceMeters: number; outside: boolean } | null {
  if (!site || typeof site.lat !== 'number' || typeof site.lng !== 'number') return null;
  const distanceMeters = Math.round(haversineMeters({ lat: site.lat, lng: site.lng }, fix));
  return { distanceMeters, outside: distanceMeters > radiusMeters };
}
