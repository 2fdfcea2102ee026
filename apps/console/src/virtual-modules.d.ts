/** Who may call each operation, from the OpenAPI document's `x-roles` (vite.config.ts builds it). */
declare module 'virtual:operation-roles' {
  const roles: Record<string, readonly string[]>;
  export default roles;
}
