export interface StackService {
  name: 'gateway' | 'events' | 'tickets' | 'jtd-dispatcher';
  schema: string;
  role: string;
  port: number;
}
export const SERVICES: StackService[];
export function rolePassword(service: StackService): string;
