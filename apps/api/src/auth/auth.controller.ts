import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { LoginResponse, UserDto } from '@sluice/contracts';
import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from '../common/zod.js';
import { AuthService } from './auth.service.js';
import type { AuthedRequest } from './auth.guard.js';
import { MinRole, Public } from './roles.js';

const LoginSchema = z.object({ username: z.string().min(1, 'username is required').max(200), password: z.string().min(1, 'password is required').max(1024) });
const RoleSchema = z.enum(['admin', 'editor', 'viewer']);
const PasswordSchema = z.string().min(8, 'at least 8 characters').max(1024, 'at most 1024 characters');
const CreateUserSchema = z.object({ username: z.string().max(200), password: PasswordSchema, role: RoleSchema }).strict();
const UpdateUserSchema = z.object({ role: RoleSchema.optional(), password: PasswordSchema.optional() }).strict();

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Exchange a username and password for a bearer token; 429 with Retry-After while locked out' })
  @ApiBody({ schema: z.toJSONSchema(LoginSchema) as object })
  login(@Body() body: unknown, @Req() req: Request): Promise<LoginResponse> {
    const { username, password } = parseInput(LoginSchema, body);
    return this.auth.login(username, password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
  }

  @Get('me')
  @ApiBearerAuth()
  me(@Req() req: AuthedRequest): UserDto {
    return req.user;
  }

  @Post('logout')
  @HttpCode(204)
  @MinRole('viewer')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out everywhere: every token of yours stops working and your sockets close' })
  async logout(@Req() req: AuthedRequest): Promise<void> {
    await this.auth.endSessions(req.user.id);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@MinRole('admin')
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  list(): Promise<UserDto[]> {
    return this.auth.listUsers();
  }

  @Post()
  @ApiBody({ schema: z.toJSONSchema(CreateUserSchema) as object })
  create(@Body() body: unknown): Promise<UserDto> {
    const u = parseInput(CreateUserSchema, body);
    return this.auth.createUser(u.username, u.password, u.role);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a role or password; ends that user\'s sessions. The last admin cannot be demoted.' })
  @ApiBody({ schema: z.toJSONSchema(UpdateUserSchema) as object })
  update(@Param('id') id: string, @Body() body: unknown): Promise<UserDto> {
    return this.auth.updateUser(id, parseInput(UpdateUserSchema, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; ends their sessions. The last admin cannot be deleted.' })
  async remove(@Param('id') id: string, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.deleteUser(id, req.user.id);
  }
}
