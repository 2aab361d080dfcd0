import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { LoginResponse, Role, UserDto } from '@sluice/contracts';
import { SignJWT, jwtVerify } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BadInputError, ConflictError, NotFoundError, UnauthorizedError } from '../common/errors.js';
import { UserEntity } from '../persistence/entities.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import type { AuthUser } from './roles.js';

const toDto = (u: UserEntity): UserDto => ({ id: u.id, username: u.username, role: u.role });

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly log = new Logger('Auth');
  private readonly users: Repository<UserEntity>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    ds: DataSource,
  ) {
    this.users = ds.getRepository(UserEntity);
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

  async login(username: string, password: string): Promise<LoginResponse> {
    const user = await this.users.findOneBy({ username });
    // Same work and message whether the user exists or not.
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
    if (!user || !ok) throw new UnauthorizedError('invalid username or password');
    const token = await new SignJWT({ role: user.role, username: user.username })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(this.config.tokenTtl)
      .sign(this.config.jwtSecret);
    return { token, user: toDto(user) };
  }

  async verify(token: string): Promise<AuthUser> {
    try {
      const { payload } = await jwtVerify(token, this.config.jwtSecret, { algorithms: ['HS256'] });
      const user = await this.users.findOneBy({ id: String(payload.sub) });
      if (!user) throw new Error('user no longer exists');
      return { id: user.id, username: user.username, role: user.role };
    } catch (e) {
      throw new UnauthorizedError(`invalid or expired token: ${(e as Error).message}`);
    }
  }

  async listUsers(): Promise<UserDto[]> {
    return (await this.users.find({ order: { username: 'ASC' } })).map(toDto);
  }

  async createUser(username: string, password: string, role: Role): Promise<UserDto> {
    if (await this.users.existsBy({ username })) throw new ConflictError(`user '${username}' already exists`);
    if (password.length < 8) throw new BadInputError('password must have at least 8 characters', [{ field: 'password', message: 'at least 8 characters' }]);
    const user = this.users.create({ id: randomUUID(), username, role, passwordHash: await hashPassword(password), createdAt: Date.now() });
    await this.users.save(user);
    return toDto(user);
  }

  async updateUser(id: string, changes: { role?: Role; password?: string }): Promise<UserDto> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundError('user', id);
    if (changes.role) user.role = changes.role;
    if (changes.password) {
      if (changes.password.length < 8) throw new BadInputError('password must have at least 8 characters', [{ field: 'password', message: 'at least 8 characters' }]);
      user.passwordHash = await hashPassword(changes.password);
    }
    await this.users.save(user);
    return toDto(user);
  }

  async deleteUser(id: string, actingUserId: string): Promise<void> {
    if (id === actingUserId) throw new BadInputError('you cannot delete your own account');
    const res = await this.users.delete({ id });
    if (!res.affected) throw new NotFoundError('user', id);
  }
}
