import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { SecretRegistry } from './secret-registry.js';

/** The server log never carries a secret: every line and stack goes through the registry's masking. */
export class RedactingLogger extends ConsoleLogger {
  constructor(
    private readonly secrets: SecretRegistry,
    levels: LogLevel[],
  ) {
    super();
    this.setLogLevels(levels);
  }

  protected override formatMessage(logLevel: LogLevel, message: unknown, pidMessage: string, formattedLogLevel: string, contextMessage: string, timestampDiff: string, params?: Record<string, unknown>): string {
    return this.secrets.redact(super.formatMessage(logLevel, message, pidMessage, formattedLogLevel, contextMessage, timestampDiff, params));
  }

  protected override printStackTrace(stack: string): void {
    // Nest calls this for every error line, with no stack when there is none.
    super.printStackTrace(typeof stack === 'string' ? this.secrets.redact(stack) : stack);
  }
}
