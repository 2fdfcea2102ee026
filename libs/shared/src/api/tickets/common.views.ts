import { IsString, IsUUID } from 'class-validator';

/** Who created, uploaded, reviewed or reported something on a ticket or a visit. */
export class TicketPersonView {
  @IsUUID()
  id!: string;

  @IsString()
  name!: string;
}
