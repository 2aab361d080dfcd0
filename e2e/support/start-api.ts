export { startApi, type StartApiOptions, type StartedApi } from '@sluice/api/testing';
