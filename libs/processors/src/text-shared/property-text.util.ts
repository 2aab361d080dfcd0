import type { ProcessContext, PropertyHandle } from '@sluice/flow-api';

/**
 * A property's text as configured, before Expression Language, for processors that compile or evaluate it
 * themselves (a search pattern, a replacement with back-references). The descriptor's default is in force, so a
 * property with one always has text.
 */
export function configuredText(ctx: ProcessContext, handle: PropertyHandle<string, true>): string {
  return ctx.property(handle).raw ?? handle.default ?? '';
}
