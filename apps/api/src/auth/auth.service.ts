import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { LoginResponse, Role, UserDto } from '@sluice/contracts';
import { SignJWT, jwtVerify } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BadInputError, ConflictError, NotFoundError, UnauthorizedError } from '../common/errors.js';
import { UserEntity } from '../persistence/entities.js';
import { LoginLimiter, type LoginAttempts } from './login-limiter.js';
import { SqlLoginLimiter } from './sql-login-limiter.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import type { AuthUser } from './roles.js';
import { SessionEvents } from './session-events.js';
import { checkUsername, usernameKey } from './username.js';

const toDto = (u: UserEntity): UserDto => ({ id: u.id, username: u.username, role: u.role });
const MIN_PASSWORD = 8;

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly log = new Logger('Auth');
  private readonly users: Repository<UserEntity>;
  private readonly limiter: LoginAttempts;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly sessions: SessionEvents,
  ) {
    this.users = ds.getRepository(UserEntity);
    // On Postgres the counts live in the database, so a cluster's nodes lock out together.
    this.limiter = ds.options.type === 'postgres' ? new SqlLoginLimiter(ds, config.login) : new LoginLimiter(config.login);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  /** On first start with no users, creates the admin; prints a generated password once when none is configured. */
  async ensureAdmin(): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.users.count()) > 0) return { created: false };
    const generated = this.config.adminPassword ? undefined : randomBytes(12).toString('base64url');
    await this.createUser(this.config.adminUser, this.config.adminPassword ?? generated!, 'admin');
    if (generated) {
      this.log.warn(`created admin user '${this.config.adminUser}' with generated password: ${generated} (shown once; set SLUICE_ADMIN_PASSWORD to choose it)`);
    }
    return { created: true, generatedPassword: generated };
  }

  /** 429 with Retry-After while the user or the address is locked out after repeated failures. */
  async login(username: string, password: string, address: string): Promise<LoginResponse> {
    const key = usernameKey(username);
    await this.limiter.check(key, address);
    const user = await this.users.findOneBy({ usernameKey: key });
    // Same work and message whether the user exists or not.
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
    if (!user || !ok) {
      await this.limiter.failed(key, address);
      throw new UnauthorizedError('invalid username or password');
    }
    await this.limiter.succeeded(key);
    const token = await new SignJWT({ role: user.role, username: user.username, tv: user.tokenVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(this.config.tokenTtl)
      .sign(this.config.jwtSecret);
    return { token, user: toDto(user) };
  }

  /** A valid session token of a user that still exists, signed since the user's last password or role change. */
  async verify(token: string): Promise<AuthUser> {
    let payload: { sub?: string; tv?: unknown };
    try {
      ({ payload } = await jwtVerify(token, this.config.jwtSecret, { algorithms: ['HS256'] }));
    } catch (e) {
      throw new UnauthorizedError(`invalid or expired token: ${(e as Error).message}`);
    }
    const user = typeof payload.sub === 'string' ? await this.users.findOneBy({ id: payload.sub }) : null;
    if (!user) throw new UnauthorizedError('invalid or expired token: the user no longer exists');
    if ((payload.tv ?? 0) !== user.tokenVersion) throw new UnauthorizedError('this session has ended (the password or role changed); sign in again');
    return { id: user.id, username: user.username, role: user.role };
  }

  /** Signs the user out everywhere: every token issued so far stops working and open sockets close. */
  async endSessions(userId: string): Promise<void> {
    await this.users.increment({ id: userId }, 'tokenVersion', 1);
    this.sessions.ended(userId);
  }

  async listUsers(): Promise<UserDto[]> {
    return (await this.users.find({ order: { username: 'ASC' } })).map(toDto);
  }

  async createUser(username: string, password: string, role: Role): Promise<UserDto> {
    const name = checkUsername(username);
    checkPassword(password);
    if (await this.users.existsBy({ usernameKey: usernameKey(name) })) throw new ConflictError(`user '${name}' already exists`);
    const user = this.users.create({ id: randomUUID(), username: name, usernameKey: usernameKey(name), role, passwordHash: await hashPassword(password), createdAt: Date.now(), tokenVersion: 0 });
    try {
      await this.users.save(user);
    } catch (e) {
      // Two creations of the same name at once: the unique index decides.
      if (await this.users.existsBy({ usernameKey: usernameKey(name) })) throw new ConflictError(`user '${name}' already exists`);
      throw e;
    }
    return toDto(user);
  }

  /** A password or role change ends the user's sessions; the last admin keeps the admin role. */
  async updateUser(id: string, changes: { role?: Role; password?: string }): Promise<UserDto> {
    if (changes.password !== undefined) checkPassword(changes.password);
    const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
    const user = await this.ds.transaction(async (m) => {
      const users = m.getRepository(UserEntity);
      const found = await users.findOneBy({ id });
      if (!found) throw new NotFoundError('user', id);
      const demoted = changes.role !== undefined && found.role === 'admin' && changes.role !== 'admin';
      if (demoted) await this.assertOtherAdmin(m, id, 'demote');
      const roleChanged = changes.role !== undefined && changes.role !== found.role;
      if (changes.role) found.role = changes.role;
      if (passwordHash) found.passwordHash = passwordHash;
      if (roleChanged || passwordHash) found.tokenVersion += 1;
      await users.save(found);
      return { found, ended: roleChanged || passwordHash !== undefined };
    });
    if (user.ended) this.sessions.ended(id);
    return toDto(user.found);
  }

  async deleteUser(id: string, actingUserId: string): Promise<void> {
    if (id === actingUserId) throw new BadInputError('you cannot delete your own account');
    await this.ds.transaction(async (m) => {
      const users = m.getRepository(UserEntity);
      const found = await users.findOneBy({ id });
      if (!found) throw new NotFoundError('user', id);
      if (found.role === 'admin') await this.assertOtherAdmin(m, id, 'delete');
      await users.delete({ id });
    });
    this.sessions.ended(id);
  }

  /** Without another admin nobody could manage users any more; recovery would need a database edit. */
  private async assertOtherAdmin(m: EntityManager, id: string, action: 'demote' | 'delete'): Promise<void> {
    const pg = this.ds.options.type === 'postgres';
    // On Postgres the admins' rows are locked so two concurrent demotions cannot both see the other admin.
    const rows = (await m.query(`SELECT "id" FROM "user" WHERE "role" = 'admin'${pg ? ' FOR UPDATE' : ''}`)) as { id: string }[];
    if (!rows.some((r) => r.id !== id)) throw new ConflictError(`cannot ${action} the last admin: make another user admin first`);
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new BadInputError(`password must have at least ${MIN_PASSWORD} characters`, [{ field: 'password', message: `at least ${MIN_PASSWORD} characters` }]);
}
