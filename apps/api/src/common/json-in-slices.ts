import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { mergeMap, type Observable } from 'rxjs';
import { inSlices } from './slices.js';

/** Below this depth arrays and plain objects are written member by member; deeper values by JSON.stringify. */
const SPLIT_DEPTH = 3;

const isPlain = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * JSON.stringify's text of `value`, written on the event loop in slices: one stringify of a flow at FLOW_LIMITS
 * (a few MB) held the loop for 50–100 ms. The upper levels are walked here as JSON.stringify walks them (key order,
 * undefined and functions left out of objects and null in arrays, toJSON honoured); each member below is one
 * JSON.stringify call.
 */
export function jsonInSlices(value: unknown): Promise<string> {
  return inSlices(jsonSteps(value));
}

function* jsonSteps(value: unknown): Generator<void, string> {
  const parts: string[] = [];
  yield* write(value, 0, parts);
  return parts.join('');
}

function* write(value: unknown, depth: number, out: string[]): Generator<void, boolean> {
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function' || (!Array.isArray(value) && !isPlain(value))) {
    const text = JSON.stringify(value);
    if (text === undefined) return false;
    out.push(text);
    yield;
    return true;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      if (!(yield* write(value[i], depth + 1, out))) out.push('null');
    }
    out.push(']');
    return true;
  }
  out.push('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const mark = out.length;
    out.push(first ? '' : ',', JSON.stringify(key), ':');
    // A member JSON leaves out takes its key back out.
    if (yield* write((value as Record<string, unknown>)[key], depth + 1, out)) first = false;
    else out.length = mark;
  }
  out.push('}');
  return true;
}

/** Answers a handler's object as JSON text written in slices (see jsonInSlices); other answers pass through. */
@Injectable()
export class JsonInSlicesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        if (body === null || typeof body !== 'object') return body;
        const text = await jsonInSlices(body);
        res.type('application/json');
        return text;
      }),
    );
  }
}
