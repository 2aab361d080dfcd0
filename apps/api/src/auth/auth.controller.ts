import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LoginResponse, UserDto } from '@sluice/contracts';
import { z } from 'zod';
import { parseInput } from '../common/zod.js';
import { AuthService } from './auth.service.js';
import type { AuthedRequest } from './auth.guard.js';
import { MinRole, Public } from './roles.js';

const LoginSchema = z.object({ username: z.string().min(1, 'username is required'), password: z.string().min(1, 'password is required') });
const RoleSchema = z.enum(['admin', 'editor', 'viewer']);
const CreateUserSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(8), role: RoleSchema });
const UpdateUserSchema = z.object({ role: RoleSchema.optional(), password: z.string().min(8).optional() });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a username and password for a bearer token' })
  @ApiBody({ schema: z.toJSONSchema(LoginSchema) as object })
  login(@Body() body: unknown): Promise<LoginResponse> {
    const { username, password } = parseInput(LoginSchema, body);
    return this.auth.login(username, password);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@Req() req: AuthedRequest): UserDto {
    return req.user;
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
  @ApiBody({ schema: z.toJSONSchema(UpdateUserSchema) as object })
  update(@Param('id') id: string, @Body() body: unknown): Promise<UserDto> {
    return this.auth.updateUser(id, parseInput(UpdateUserSchema, body));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.deleteUser(id, req.user.id);
  }
}
