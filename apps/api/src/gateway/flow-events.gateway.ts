import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { type ClientToServerEvents, flowRoom, type ProcessorStatsEvent, type QueueChangedEvent, type ServerToClientEvents } from '@sluice/contracts';
import type { Server, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import { SessionEvents } from '../auth/session-events.js';
import { FlowsRepository } from '../flows/flows.repository.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import type { AuthUser } from '../auth/roles.js';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { redactAttributes } from '../persistence/sensitive-attributes.js';
import { ConnectionTaps, MAX_TAPS_PER_SOCKET } from './connection-taps.js';

const TICK_MS = 250;
const MAX_BULLETINS_PER_TICK = 10;
/** Rooms one socket may be in: the designer joins one flow at a time, a dashboard a few. */
const MAX_ROOMS = 50;

type Io = Server<ClientToServerEvents, ServerToClientEvents>;
type Client = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: AuthUser }>;

/**
 * One room per flow. Queue sizes and processor stats are coalesced per component and sent at most every
 * 250 ms, bulletins are capped per tick: a busy flow cannot flood the browser.
 */
@WebSocketGateway()
export class FlowEventsGateway implements OnGatewayInit, OnModuleDestroy {
  @WebSocketServer() private io!: Io;
  private readonly log = new Logger('Socket');
  private readonly queues = new Map<string, Map<string, QueueChangedEvent>>();
  private readonly stats = new Map<string, Map<string, ProcessorStatsEvent>>();
  private readonly bulletins = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly taps = new ConnectionTaps((a) => {
    const masked = JSON.parse(redactAttributes(a)) as Record<string, string>;
    for (const k in masked) masked[k] = this.secrets.redact(masked[k]!);
    return masked;
  });
  private tapsSubscribed: (() => void) | null = null;

  constructor(
    private readonly auth: AuthService,
    private readonly hub: EngineEventsHub,
    private readonly sessions: SessionEvents,
    private readonly flows: FlowsRepository,
    private readonly secrets: SecretRegistry,
  ) {}

  afterInit(io: Io): void {
    io.use((socket, next) => {
      // Only the auth payload: a token in the query string ends up in proxy and access logs.
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || !token) return next(new Error('authentication required: pass { auth: { token } } from POST /api/auth/login'));
      this.auth
        .verify(token)
        .then((user) => {
          (socket as Client).data.user = user;
          next();
        })
        .catch((e: Error) => next(new Error(e.message)));
    });
    io.on('connection', (socket: Client) => {
      socket.on('flow.join', (flowId, ack) => void this.join(socket, flowId, typeof ack === 'function' ? ack : undefined));
      socket.on('flow.leave', (flowId) => {
        if (typeof flowId === 'string') void socket.leave(flowRoom(flowId));
      });
      socket.on('connection.tap', (flowId, connectionId, ack) => void this.tap(socket, flowId, connectionId, typeof ack === 'function' ? ack : undefined));
      socket.on('connection.untap', (flowId, connectionId) => {
        if (typeof flowId === 'string' && typeof connectionId === 'string') this.taps.remove(socket.id, flowId, connectionId);
        this.syncTapSubscription();
      });
      socket.on('disconnect', () => {
        this.taps.removeSocket(socket.id);
        this.syncTapSubscription();
      });
    });
    this.unsubscribe.push(this.sessions.onEnded((userId) => this.disconnectUser(userId)));
    this.unsubscribe.push(
      this.hub.on('connection.queue-changed', (e) => this.coalesce(this.queues, e.flowId, e.connectionId, e)),
      this.hub.on('processor.stats-updated', (e) => this.coalesce(this.stats, e.flowId, e.processorId, e)),
      this.hub.on('processor.state-changed', (e) => this.io.to(flowRoom(e.flowId)).emit('processor.state-changed', e)),
      this.hub.on('execution.updated', (e) => this.io.to(flowRoom(e.flowId)).emit('execution.updated', e)),
      this.hub.on('provenance.recorded', (e) => this.io.to(flowRoom(e.flowId)).emit('provenance.recorded', e)),
      this.hub.on('processor.bulletin', (e) => {
        const n = this.bulletins.get(e.flowId) ?? 0;
        if (n >= MAX_BULLETINS_PER_TICK) return;
        this.bulletins.set(e.flowId, n + 1);
        this.io.to(flowRoom(e.flowId)).emit('processor.bulletin', { ...e, message: this.secrets.redact(e.message) });
        this.arm();
      }),
    );
    this.log.log('socket.io ready');
  }

  /** Each join is authorized: the user's session must still be valid and the flow must exist. */
  private async join(socket: Client, flowId: unknown, ack: ((ok: boolean) => void) | undefined): Promise<void> {
    try {
      if (typeof flowId !== 'string' || !flowId || flowId.length > 64) return ack?.(false);
      const token = (socket.handshake.auth as { token: string }).token;
      socket.data.user = await this.auth.verify(token);
      if (!(await this.flows.findById(flowId))) return ack?.(false);
      if (!socket.rooms.has(flowRoom(flowId)) && socket.rooms.size > MAX_ROOMS) return ack?.(false);
      await socket.join(flowRoom(flowId));
      ack?.(true);
    } catch {
      ack?.(false);
      socket.disconnect(true);
    }
  }

  /** A tap is authorized as a join is: a valid session, and a connection of an existing flow. */
  private async tap(socket: Client, flowId: unknown, connectionId: unknown, ack: ((ok: boolean, reason?: string) => void) | undefined): Promise<void> {
    try {
      if (typeof flowId !== 'string' || typeof connectionId !== 'string' || !flowId || flowId.length > 64 || connectionId.length > 64) return ack?.(false, 'flowId and connectionId are required');
      const token = (socket.handshake.auth as { token: string }).token;
      socket.data.user = await this.auth.verify(token);
      const flow = await this.flows.findById(flowId);
      if (!flow) return ack?.(false, `flow '${flowId}' not found`);
      const c = flow.doc.connections.find((x) => x.id === connectionId);
      if (!c) return ack?.(false, `connection '${connectionId}' not found in the flow`);
      if (this.taps.count(socket.id) >= MAX_TAPS_PER_SOCKET) return ack?.(false, `at most ${MAX_TAPS_PER_SOCKET} connections can be tapped at once`);
      this.taps.add({ socketId: socket.id, flowId, connectionId, sourceId: c.sourceId, relationships: c.relationships });
      this.syncTapSubscription();
      ack?.(true);
    } catch {
      ack?.(false, 'not allowed');
      socket.disconnect(true);
    }
  }

  /** Provenance is only inspected while someone taps a connection. */
  private syncTapSubscription(): void {
    if (this.taps.size > 0 && !this.tapsSubscribed) {
      this.tapsSubscribed = this.hub.on('provenance.events', (events) => {
        if (this.taps.collect(events)) this.arm();
      });
    } else if (this.taps.size === 0 && this.tapsSubscribed) {
      this.tapsSubscribed();
      this.tapsSubscribed = null;
    }
  }

  private disconnectUser(userId: string): void {
    for (const socket of this.io.of('/').sockets.values()) {
      if ((socket as Client).data.user?.id === userId) socket.disconnect(true);
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    this.tapsSubscribed?.();
  }

  private coalesce<T>(store: Map<string, Map<string, T>>, flowId: string, key: string, value: T): void {
    let m = store.get(flowId);
    if (!m) store.set(flowId, (m = new Map()));
    m.set(key, value);
    this.arm();
  }

  private arm(): void {
    if (!this.timer) this.timer = setTimeout(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    this.timer = null;
    for (const [flowId, m] of this.queues) this.io.to(flowRoom(flowId)).emit('connection.queue-changed', [...m.values()]);
    for (const [flowId, m] of this.stats) this.io.to(flowRoom(flowId)).emit('processor.stats-updated', [...m.values()]);
    for (const [socketId, batch] of this.taps.drain()) this.io.to(socketId).emit('connection.tapped', batch);
    this.queues.clear();
    this.stats.clear();
    this.bulletins.clear();
  }
}
