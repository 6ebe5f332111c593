export * as calico from './imports';
export * from './selector';
export * from './policy';
export * from './analysis';
