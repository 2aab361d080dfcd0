import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { ClusterService } from './cluster.service.js';

const FLOW_ROUTE = /^\/api\/(flows|outbound|integration)\//;

/**
 * Read-your-writes across nodes: a request about a flow first brings this node's engine to the stored version and
 * state, so a flow saved or started on one node is usable on another at once, before its notice arrives.
 */
@Injectable()
export class ClusterSyncInterceptor implements NestInterceptor {
  constructor(private readonly cluster: ClusterService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.cluster.enabled || context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const params = req.params as Record<string, string | undefined>;
    const flowId = params['flowId'] ?? params['id'];
    if (!flowId || !FLOW_ROUTE.test(req.originalUrl ?? req.url)) return next.handle();
    return from(this.cluster.ensure(flowId)).pipe(switchMap(() => next.handle()));
  }
}
