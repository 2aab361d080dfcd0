import { InitialSchema1732300000000 } from './1732300000000-initial-schema.js';
import { Executions1732300000001 } from './1732300000001-executions.js';
import { Durability1732300000002 } from './1732300000002-durability.js';
import { Security1732900000000 } from './1732900000000-security.js';
import { Designer1733200000000 } from './1733200000000-designer.js';
import { Cluster1733300000000 } from './1733300000000-cluster.js';
import { WorkQueue1733310000000 } from './1733310000000-work-queue.js';
import { LoginAttempts1733350000000 } from './1733350000000-login-attempts.js';
import { ProvenanceContent1733400000000 } from './1733400000000-provenance-content.js';
import { MapCache1733400000000 } from './1733400000000-map-cache.js';
import { ContentChunks1733500000000 } from './1733500000000-content-chunks.js';
import { RowLogOrder1733600000000 } from './1733600000000-row-log-order.js';

/** Committed migrations, in order. The schema is never synchronized from entities outside tests. */
export const MIGRATIONS = [InitialSchema1732300000000, Executions1732300000001, Durability1732300000002, Security1732900000000, Designer1733200000000, Cluster1733300000000, WorkQueue1733310000000, LoginAttempts1733350000000, ProvenanceContent1733400000000, MapCache1733400000000, ContentChunks1733500000000, RowLogOrder1733600000000];
