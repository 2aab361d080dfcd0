import type { FieldError, FlowDocument } from '@sluice/contracts';
import { getControllerService, getProcessor } from '@sluice/processors';
import { MASK, maskAttributes, redactText } from '../secrets/redaction.js';
import { SecretBox } from '../secrets/secret-box.js';

/** Descriptors do not change while the server runs: each type's names are worked out once (flows repeat types). */
const processorSecrets = new Map<string, ReadonlySet<string>>();
const serviceSecrets = new Map<string, ReadonlySet<string>>();

/** Names of a processor type's sensitive properties. */
export function sensitiveProperties(type: string): ReadonlySet<string> {
  let names = processorSecrets.get(type);
  if (!names) processorSecrets.set(type, (names = new Set((getProcessor(type)?.descriptor.properties ?? []).filter((p) => p.sensitive).map((p) => p.name))));
  return names;
}

/** Names of a controller service type's sensitive properties (an OAuth2 client secret, a keystore password). */
export function sensitiveServiceProperties(type: string): ReadonlySet<string> {
  let names = serviceSecrets.get(type);
  if (!names) serviceSecrets.set(type, (names = new Set((getControllerService(type)?.descriptor.properties ?? []).filter((p) => p.sensitive).map((p) => p.name))));
  return names;
}

/** `#{name}` and `#{'name'}` references in a value (a `##{` is an escaped, literal one). */
export function parameterReferences(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/(#+)\{([^}]*)\}/g)) {
    if (m[1]!.length % 2 === 0) continue;
    const name = m[2]!.trim().replace(/^(['"])(.*)\1$/, '$2').trim();
    if (name) out.push(name);
  }
  return out;
}

/**
 * The flow's sensitive parameters, as in NiFi: those declared sensitive, and those a sensitive property
 * references (a password parameter is sensitive even when nobody ticked the box).
 */
export function sensitiveParameters(
  doc: Pick<FlowDocument, 'parameters' | 'processors'> & {
    sensitiveParameters?: readonly string[];
    processGroups?: readonly { sensitiveParameters?: readonly string[] }[];
    controllerServices?: FlowDocument['controllerServices'];
  },
): Set<string> {
  // One set for the flow and all its groups: a name sensitive anywhere is sealed everywhere, never the reverse.
  const out = new Set([...(doc.sensitiveParameters ?? []), ...(doc.processGroups ?? []).flatMap((g) => g.sensitiveParameters ?? [])]);
  for (const p of doc.processors) {
    const secret = sensitiveProperties(p.type);
    if (secret.size === 0) continue;
    for (const [k, v] of Object.entries(p.properties)) if (secret.has(k)) for (const name of parameterReferences(v)) out.add(name);
  }
  for (const s of doc.controllerServices ?? []) {
    const secret = sensitiveServiceProperties(s.type);
    for (const [k, v] of Object.entries(s.properties)) if (secret.has(k)) for (const name of parameterReferences(v)) out.add(name);
  }
  return out;
}

/** NiFi's rule: a sensitive parameter may only be referenced by sensitive properties, or any attribute could show it. */
export function sensitiveReferenceErrors(doc: FlowDocument): FieldError[] {
  const secretParams = sensitiveParameters(doc);
  if (secretParams.size === 0) return [];
  const errors: FieldError[] = [];
  doc.processors.forEach((p, i) => {
    const secret = sensitiveProperties(p.type);
    for (const [k, v] of Object.entries(p.properties)) {
      if (secret.has(k)) continue;
      for (const name of parameterReferences(v)) {
        if (secretParams.has(name)) {
          errors.push({ field: `processors.${i}.properties.${k}`, processorId: p.id, message: `${p.name}: '${k}' is not a sensitive property and cannot reference the sensitive parameter '${name}'` });
        }
      }
    }
  });
  return errors;
}

const ONLY_REFERENCE = /^#\{[^}]+\}$/;

/** Applies `fn` to every sensitive value (sensitive parameters and properties); returns a new document. */
function mapSecrets(doc: FlowDocument, fn: (value: string) => string): FlowDocument {
  const params = sensitiveParameters(doc);
  const seal = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, params.has(k) && v ? fn(v) : v]));
  return {
    ...doc,
    parameters: seal(doc.parameters),
    ...(doc.processGroups ? { processGroups: doc.processGroups.map((g) => ({ ...g, parameters: seal(g.parameters ?? {}) })) } : {}),
    processors: doc.processors.map((p) => {
      const secret = sensitiveProperties(p.type);
      if (secret.size === 0) return p;
      // A value that only names a parameter (`#{erp.password}`) holds no secret and stays readable, as in NiFi.
      return { ...p, properties: Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, secret.has(k) && v && !ONLY_REFERENCE.test(v) ? fn(v) : v])) };
    }),
    ...(doc.controllerServices
      ? {
          controllerServices: doc.controllerServices.map((c) => {
            const secret = sensitiveServiceProperties(c.type);
            if (secret.size === 0) return c;
            return { ...c, properties: Object.fromEntries(Object.entries(c.properties).map(([k, v]) => [k, secret.has(k) && v && !ONLY_REFERENCE.test(v) ? fn(v) : v])) };
          }),
        }
      : {}),
  };
}

/** The document as it is stored: every sensitive value sealed (AES-256-GCM). */
export function sealDocument(doc: FlowDocument, box: SecretBox): FlowDocument {
  return mapSecrets(doc, (v) => (SecretBox.isSealed(v) ? v : box.seal(v)));
}

/**
 * The stored document with its sealed values opened; `seen` learns each secret so logs can mask it. A value that
 * cannot be opened (SLUICE_SECRET_KEY changed) stays sealed and is reported, so one flow cannot keep the server down.
 */
export function openDocument(doc: FlowDocument, box: SecretBox, seen?: (secret: string) => void, failed?: (e: Error) => void): FlowDocument {
  const open = (v: string) => {
    try {
      const plain = box.open(v);
      seen?.(plain);
      return plain;
    } catch (e) {
      failed?.(e as Error);
      return v;
    }
  };
  return mapSecrets(doc, (v) => (SecretBox.isSealed(v) ? open(v) : (seen?.(v), v)));
}

/** True when some sensitive value is still stored in plaintext (written before secrets were sealed). */
export function hasPlainSecrets(doc: FlowDocument): boolean {
  let plain = false;
  mapSecrets(doc, (v) => {
    plain ||= !SecretBox.isSealed(v);
    return v;
  });
  return plain;
}

/** What the API shows: sensitive values masked (a save that sends the mask back keeps them). */
export function maskDocument(doc: FlowDocument): FlowDocument {
  return mapSecrets(doc, () => MASK);
}

/** What an export carries: sensitive values left out, so the file can be shared. */
export function stripDocument(doc: FlowDocument): FlowDocument {
  return mapSecrets(doc, () => '');
}

/** A saved document's masks replaced by the stored values they stand for. */
export function unmaskDocument(doc: FlowDocument, previous: FlowDocument | null): FlowDocument {
  const oldParams = previous?.parameters ?? {};
  const old = new Map((previous?.processors ?? []).map((p) => [p.id, p]));
  const oldGroups = new Map((previous?.processGroups ?? []).map((g) => [g.id, g.parameters ?? {}]));
  const unmask = (values: Record<string, string>, before: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === MASK ? (before[k] ?? '') : v]));
  return {
    ...doc,
    parameters: unmask(doc.parameters, oldParams),
    ...(doc.processGroups ? { processGroups: doc.processGroups.map((g) => ({ ...g, parameters: unmask(g.parameters ?? {}, oldGroups.get(g.id) ?? {}) })) } : {}),
    processors: doc.processors.map((p) => {
      // Most processors hold no mask: they are kept as they are, not copied.
      if (!Object.values(p.properties).includes(MASK)) return p;
      const before = old.get(p.id);
      const props = { ...p.properties };
      for (const [k, v] of Object.entries(props)) {
        if (v !== MASK) continue;
        const kept = before?.type === p.type ? before.properties[k] : undefined;
        if (kept === undefined) delete props[k];
        else props[k] = kept;
      }
      return { ...p, properties: props };
    }),
    ...(doc.controllerServices ? { controllerServices: doc.controllerServices.map((c) => ({ ...c, properties: unmasked(c.properties, previous?.controllerServices?.find((o) => o.id === c.id && o.type === c.type)?.properties) })) } : {}),
  };
}

function unmasked(properties: Record<string, string>, before: Record<string, string> | undefined): Record<string, string> {
  const props = { ...properties };
  for (const [k, v] of Object.entries(props)) {
    if (v !== MASK) continue;
    if (before?.[k] === undefined) delete props[k];
    else props[k] = before[k];
  }
  return props;
}

/**
 * Pinned test inputs hold no credentials: attributes named like one are masked, and the flow's sensitive parameter
 * values and credential-shaped text are masked in the rest, so a saved or exported flow never carries them.
 */
export function maskPinned(doc: FlowDocument): FlowDocument {
  if (!doc.processors.some((p) => p.pinned)) return doc;
  const secrets = [...sensitiveParameters(doc)].map((n) => doc.parameters[n]).filter((v): v is string => typeof v === 'string' && v.length >= 4 && v !== MASK);
  const known = secrets.length ? new RegExp(secrets.sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
  const clean = (v: string) => redactText(v, known);
  return {
    ...doc,
    processors: doc.processors.map((p) => {
      if (!p.pinned) return p;
      const attributes = Object.fromEntries(Object.entries(maskAttributes(p.pinned.attributes)).map(([k, v]) => [k, clean(v)]));
      return { ...p, pinned: { ...p.pinned, attributes, content: clean(p.pinned.content) } };
    }),
  };
}
