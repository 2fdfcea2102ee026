import { Injectable } from '@nestjs/common';
import { Db, exec, many, selectList, sql } from '@app/shared/db/sql';

export interface LocationIssueRow {
  id: string;
  tenantId: string;
  appointmentId: string;
  issueType: string;
  description: string;
  impactLevel: string;
  photoUrls: string[];
  needsImmediate: boolean;
  /** CHECK_IN_OUTSIDE_RADIUS when the system reported it. */
  reason: string | null;
  distanceM: number | null;
  reportedBy: string;
  reportedByName: string;
  reportedAt: Date;
}

const FIELDS = [
  'id',
  'tenantId',
  'appointmentId',
  'issueType',
  'description',
  'impactLevel',
  'photoUrls',
  'needsImmediate',
  'reason',
  'distanceM',
  'reportedBy',
  'reportedByName',
  'reportedAt',
];

/** Issues with the location of a visit (`location_issues`), reported by people or by a check-in outside the radius. */
@Injectable()
export class LocationIssueRepository {
  async insert(db: Db, r: LocationIssueRow): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO location_issues (id, tenant_id, appointment_id, issue_type, description, impact_level, photo_urls, needs_immediate, reason, distance_m,
            reported_by, reported_by_name, reported_at)
          VALUES (${r.id}, ${r.tenantId}, ${r.appointmentId}, ${r.issueType}, ${r.description}, ${r.impactLevel}, ${sql.array(r.photoUrls, 'text')},
            ${r.needsImmediate}, ${r.reason}, ${r.distanceM}::float8, ${r.reportedBy}, ${r.reportedByName}, ${r.reportedAt})`,
    );
  }

  ofAppointment(db: Db, tenantId: string, appointmentId: string): Promise<LocationIssueRow[]> {
    return many<LocationIssueRow>(
      db,
      sql`SELECT ${selectList('i', FIELDS)} FROM location_issues i WHERE i.tenant_id = ${tenantId} AND i.appointment_id = ${appointmentId} ORDER BY i.reported_at, i.id`,
    );
  }
}
