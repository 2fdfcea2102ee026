import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

/** A decimal amount with at most two fraction digits, as a string (`"1250.50"`). */
export const MONEY_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
export const MONEY_MESSAGE = '$property must be a decimal string with at most 2 decimals, e.g. "1250.50"';
/** A calendar date (`2026-01-31`). */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const DATE_MESSAGE = '$property must be a date like 2026-01-31';

export const Money = () => Matches(MONEY_PATTERN, { message: MONEY_MESSAGE });
export const CalendarDate = () => Matches(DATE_PATTERN, { message: DATE_MESSAGE });

/** `{id}` path parameter. */
export class IdParams {
  @IsUUID()
  id!: string;
}

/** `?limit=&cursor=` on every list. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
