import type { PropertyDescriptor, PropertyType } from './property.js';

/**
 * The value a property of each type reads as through `ProcessContext.get`: durations in milliseconds, data sizes in
 * bytes, a `dict` as an object of strings. Enums narrow further to the union of their allowable values.
 */
export interface PropertyValueTypes {
  string: string;
  code: string;
  enum: string;
  integer: number;
  number: number;
  duration: number;
  dataSize: number;
  boolean: boolean;
  json: unknown;
  dict: Record<string, string>;
}

type BaseValue<D extends PropertyDescriptor> = D extends { readonly type: 'enum'; readonly allowableValues: readonly { readonly value: infer V }[] }
  ? V & string
  : PropertyValueTypes[D['type']];

/**
 * Whether a read always has a value: a default, or a required property that is always shown (validation refuses
 * to start a processor without it). A required property that depends on another is required only when shown.
 */
type AlwaysSet<D extends PropertyDescriptor> = D extends { readonly type: 'dict' }
  ? true
  : D extends { readonly default: string }
    ? true
    : D extends { readonly required: true }
      ? D extends { readonly dependsOn: readonly unknown[] }
        ? false
        : true
      : false;

/**
 * A declared property, typed by its descriptor: reading it with `context.get(handle)` gives a `T`, or `T | undefined`
 * when the property may be unset. At run time a handle is its descriptor (plain JSON; the type exists only for the
 * compiler), so a handle list is also the descriptor's `properties`.
 */
export type PropertyHandle<T = unknown, Set extends boolean = boolean> = PropertyDescriptor & {
  /** Never present at run time: carries the value type for the compiler. */
  readonly __value?: T;
  readonly __set?: Set;
};

export type HandleFor<D extends PropertyDescriptor> = PropertyHandle<BaseValue<D>, AlwaysSet<D>>;

/** What `context.get(handle)` returns for a handle. */
export type PropertyRead<H> = H extends PropertyHandle<infer T, infer S> ? (S extends true ? T : T | undefined) : never;

/** Handles by property name, for the names a processor declares. */
export type PropertyHandles<L extends readonly PropertyDescriptor[]> = {
  readonly [D in L[number] as D['name']]: HandleFor<D>;
};

/**
 * Typed handles for a processor's property descriptors, by name. The list stays the descriptor's `properties`
 * (`properties: Object.values(handles)` or the list itself); only names the list declares have a handle, so a
 * misspelt name does not compile, and `context.get` throws for a handle the processor does not declare.
 */
export function propertyHandles<const L extends readonly PropertyDescriptor[]>(list: L): PropertyHandles<L> {
  const out: Record<string, PropertyDescriptor> = {};
  for (const d of list) out[d.name] = d;
  return Object.freeze(out) as PropertyHandles<L>;
}

/** The descriptor list behind handles, in declaration order (what `descriptor.properties` is set to). */
export function handleList<H extends Readonly<Record<string, PropertyDescriptor>>>(handles: H): PropertyDescriptor[] {
  return Object.values(handles);
}

/** One typed handle, for a property shared by several processors (declare it in each processor's list). */
export function propertyHandle<const D extends PropertyDescriptor>(descriptor: D): HandleFor<D> {
  return descriptor as HandleFor<D>;
}

/** Whether a read of this type keeps an empty value as it is (text) rather than falling back to the default. */
export function keepsEmptyText(type: PropertyType): boolean {
  return type === 'string' || type === 'code';
}

/**
 * A property whose display name is its name (NiFi's persisted names read well), typed literally so that
 * `propertyHandles` can type its reads: `describeProperty('Max Bin Age', 'How old a bin may get.', 'duration')`.
 */
export function describeProperty<
  const N extends string,
  const T extends PropertyType,
  const E extends Partial<Omit<PropertyDescriptor, 'name' | 'type' | 'description'>> = {},
>(name: N, description: string, type: T, extra?: E): { readonly name: N; readonly displayName: string; readonly description: string; readonly type: T } & E {
  return { name, displayName: name, description, type, ...(extra ?? ({} as E)) };
}
