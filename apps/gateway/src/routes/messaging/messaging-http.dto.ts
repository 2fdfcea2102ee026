import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';

export class EventTypeParamDto {
  @ApiProperty({ example: 'APPOINTMENT_CREATED' })
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'type must be an UPPER_SNAKE event type' })
  type!: string;
}

export class DeadLetterIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
