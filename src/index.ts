export * as calico from './imports';
