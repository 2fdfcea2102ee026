import { randomUUID } from 'node:crypto';
import type { CreateContractDto } from '@app/shared/api/events/contracts.dto';

/** A contract with sensible defaults: one year from 2026-01-01 in Asia/Kolkata, nothing promised. */
export function contractInput(overrides: Partial<CreateContractDto> = {}): CreateContractDto {
  return {
    contractNumber: `CN-${randomUUID().slice(0, 8)}`,
    title: 'Annual maintenance: chillers',
    customer: { name: 'Acme Foods', email: 'ops@acme.example' },
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    timezone: 'Asia/Kolkata',
    services: [],
    spareParts: [],
    ...overrides,
  } as CreateContractDto;
}

/** The reference contract: 12 monthly services, 4 quarterly installments, 10 limited filters and unlimited gaskets. */
export function referenceContract(overrides: Partial<CreateContractDto> = {}): CreateContractDto {
  return contractInput({
    services: [{ name: 'Monthly service', every: { unit: 'month', interval: 1 } }],
    spareParts: [
      { partId: 'FILTER-10', name: 'Air filter', promisedQty: 10 },
      { partId: 'GASKET', name: 'Door gasket', unlimited: true },
    ],
    billing: { mode: 'emi', total: '10000.03', currency: 'INR', installments: 4, every: { unit: 'month', interval: 3 } },
    ...overrides,
  } as Partial<CreateContractDto>);
}
