/** How much a role may do with the resources it covers. */
export enum AccessLevel {
  /** `get`, `list`, `watch`. */
  READ = 'read',
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete` (never `*`). */
  MANAGE = 'manage',
}
