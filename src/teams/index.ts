export * from './team-options';
export * from './security-team';
export * from './dev-team-namespace';
export * from './egress-approval';
export * from './baseline-global-policies';
export * from './service-account-policy';
export * from './reviewable-app';
export * from './member-service-account';
