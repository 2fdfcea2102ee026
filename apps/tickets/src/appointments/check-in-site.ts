import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { FieldSettingsRepository } from '../settings/field-settings.repository';
import { AppointmentRow } from './appointment.repository';
import { checkInDistance } from './geo-distance';
import { LocationIssueRepository } from './location-issue.repository';
import { GeoFixValue } from './staff-assignment.repository';

export const CHECK_IN_OUTSIDE_RADIUS = 'CHECK_IN_OUTSIDE_RADIUS';

/** How a check-in compares with the visit's location: what the assignment keeps, and the issue to report when it was too far. */
export interface SiteJudgement {
  distanceM: number | null;
  outside: boolean | null;
  /** LOCATION_ISSUE_REPORTED's payload when the check-in was outside the tenant's radius (the issue row is written). */
  issue?: Record<string, unknown>;
}

/**
 * Compares a check-in's position with the visit's coordinates (haversine) against the tenant's radius
 * (field settings, 500 m by default). Outside it the check-in is still accepted; the assignment keeps the
 * distance and the flag, and a location issue with reason CHECK_IN_OUTSIDE_RADIUS is recorded and announced.
 */
@Injectable()
export class CheckInSite {
  constructor(
    private readonly settings: FieldSettingsRepository,
    private readonly issues: LocationIssueRepository,
  ) {}

  async judge(tx: Db, ctx: RequestContext, appointment: AppointmentRow, fix: GeoFixValue, now: Date): Promise<SiteJudgement> {
    const radius = (await this.settings.load(tx, ctx.tenantId)).checkInRadiusMeters;
    const measured = checkInDistance(appointment.location, { lat: fix.latitude, lng: fix.longitude }, radius);
    if (!measured) return { distanceM: null, outside: null };
    if (!measured.outside) return { distanceM: measured.distanceMeters, outside: false };
    const id = randomUUID();
    const description = `check-in ${measured.distanceMeters} m from the visit's location (radius ${radius} m)`;
    await this.issues.insert(tx, {
      id,
      tenantId: ctx.tenantId,
      appointmentId: appointment.id,
      issueType: 'other',
      description,
      impactLevel: 'moderate',
      photoUrls: [],
      needsImmediate: false,
      reason: CHECK_IN_OUTSIDE_RADIUS,
      distanceM: measured.distanceMeters,
      reportedBy: ctx.actor.id,
      reportedByName: ctx.actor.name,
      reportedAt: now,
    });
    return {
      distanceM: measured.distanceMeters,
      outside: true,
      issue: {
        ...locationRefs(appointment),
        issueId: id,
        reportedBy: ctx.actor.id,
        reportedAt: now.toISOString(),
        issueType: 'other',
        description,
        impactLevel: 'moderate',
        needsImmediate: false,
        reason: CHECK_IN_OUTSIDE_RADIUS,
        distanceMeters: measured.distanceMeters,
        radiusMeters: radius,
        occurredAt: now.toISOString(),
      },
    };
  }
}

/** The ids every location event carries: the visit is the location (locationId), its first event is the seed's eventId. */
export function locationRefs(a: AppointmentRow): Record<string, unknown> {
  return {
    ...(a.eventIds.length > 0 ? { eventId: a.eventIds[0] } : {}),
    eventIds: a.eventIds,
    locationId: a.id,
    appointmentId: a.id,
    contractId: a.contractId,
  };
}
