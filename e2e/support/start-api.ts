export { startApi, testDatabase, type StartApiOptions, type StartedApi } from '@sluice/api/testing';
