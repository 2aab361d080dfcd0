/**
 * JavaScript run in each fresh isolate context before the user's script: the NiFi-style `session` facade
 * (callbacks as functions or objects with `process`), `REL_SUCCESS`/`REL_FAILURE`, `log`, `IOUtils`,
 * `StandardCharsets`, `Java.type(...)` for the classes Nashorn-era scripts look up, `http` when allowed, and the
 * `transform(input, attributes)` form. A bare isolate has no TextEncoder, so UTF-8 is coded here.
 */
export const JS_PRELUDE = String.raw`
(function () {
  'use strict';
  const payload = globalThis.__sluiceInputs;
  const inputs = payload.items;
  const httpRef = globalThis.__sluiceHttp;
  delete globalThis.__sluiceInputs;
  delete globalThis.__sluiceHttp;
  const logs = [];

  function utf8Encode(str) {
    const out = [];
    for (let i = 0; i < str.length; i++) {
      let c = str.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < str.length) {
        const d = str.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return new Uint8Array(out);
  }

  function utf8Decode(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i++];
      let c;
      if (b < 0x80) c = b;
      else if (b >= 0xc0 && b < 0xe0) c = ((b & 31) << 6) | (bytes[i++] & 63);
      else if (b >= 0xe0 && b < 0xf0) c = ((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      else if (b >= 0xf0) c = ((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      else c = 0xfffd;
      out += String.fromCodePoint(c);
    }
    return out;
  }

  function toBytes(data) {
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (Array.isArray(data)) return Uint8Array.from(data, (b) => b & 255);
    if (typeof data === 'number') return new Uint8Array([data & 255]);
    return utf8Encode(String(data));
  }

  // Content stays a string while it is text, so JSON scripts never pay for byte conversions.
  class Content {
    constructor(text, bytes) { this.text = text; this.bytes = bytes; }
    asText() { if (this.text === null) this.text = utf8Decode(this.bytes); return this.text; }
    asBytes() { if (this.bytes === null) this.bytes = utf8Encode(this.text); return this.bytes; }
    size() { return this.asBytes().length; }
  }

  class InputStream {
    constructor(content) { this.content = content; this.pos = 0; }
    text() { return this.content.asText(); }
    bytes() { return this.content.asBytes(); }
    readAllBytes() { const b = this.content.asBytes().subarray(this.pos); this.pos += b.length; return b; }
    read() { const b = this.content.asBytes(); return this.pos < b.length ? b[this.pos++] : -1; }
    available() { return this.content.asBytes().length - this.pos; }
    close() {}
  }

  class OutputStream {
    constructor() { this.parts = []; }
    write(data) { this.parts.push(typeof data === 'string' ? data : toBytes(data)); }
    flush() {}
    close() {}
    content() {
      if (this.parts.every((p) => typeof p === 'string')) return new Content(this.parts.join(''), null);
      const chunks = this.parts.map((p) => (typeof p === 'string' ? utf8Encode(p) : p));
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      return new Content(null, out);
    }
  }

  class FlowFile {
    constructor(source, attributes, content) {
      this.source = source;
      this.attrs = attributes;
      this.content = content;
      this.written = false;
      this.relationship = null;
      this.removed = false;
    }
    getAttribute(key) { return Object.prototype.hasOwnProperty.call(this.attrs, key) ? this.attrs[key] : null; }
    getAttributes() { return Object.assign({}, this.attrs); }
    getSize() { return this.content.size(); }
    get size() { return this.content.size(); }
    get attributes() { return Object.assign({}, this.attrs); }
    toString() { return 'FlowFile[uuid=' + this.attrs.uuid + ']'; }
  }

  const REL_SUCCESS = Object.freeze({ name: 'success', getName() { return 'success'; } });
  const REL_FAILURE = Object.freeze({ name: 'failure', getName() { return 'failure'; } });

  const queue = inputs.map((i, index) => new FlowFile(index, Object.assign({}, i.attributes), new Content(i.text, i.bytes ? new Uint8Array(i.bytes) : null)));
  const taken = [];
  const created = [];
  let counter = 0;

  function own(ff) {
    if (!(ff instanceof FlowFile)) throw new TypeError('expected a FlowFile, got ' + String(ff));
    if (ff.removed) throw new Error(String(ff) + ' was already removed');
    return ff;
  }
  function processOf(callback) {
    if (typeof callback === 'function') return callback;
    if (callback && typeof callback.process === 'function') return callback.process.bind(callback);
    throw new TypeError('a callback must be a function or an object with a process method');
  }
  function arity(callback) {
    const fn = typeof callback === 'function' ? callback : callback.process;
    return fn.length === 1 ? 1 : 2;
  }

  const session = {
    get(max) {
      if (max !== undefined) { const out = []; while (queue.length && out.length < max) out.push(session.get()); return out; }
      const ff = queue.shift();
      if (!ff) return null;
      taken.push(ff);
      return ff;
    },
    getQueueSize() { return queue.length; },
    create(parent) {
      const attributes = parent ? Object.assign({}, own(parent).attrs) : {};
      attributes.uuid = payload.uuidSeed + '-' + (++counter).toString(16).padStart(12, '0');
      const ff = new FlowFile(null, attributes, new Content('', null));
      ff.written = true;
      created.push(ff);
      return ff;
    },
    clone(ff) { const child = session.create(ff); child.content = own(ff).content; return child; },
    putAttribute(ff, key, value) { own(ff); if (key !== 'uuid') ff.attrs[String(key)] = String(value); return ff; },
    putAllAttributes(ff, attributes) {
      own(ff);
      for (const key of Object.keys(attributes)) if (key !== 'uuid') ff.attrs[key] = String(attributes[key]);
      return ff;
    },
    removeAttribute(ff, key) { own(ff); if (key !== 'uuid') delete ff.attrs[key]; return ff; },
    removeAllAttributes(ff, keys) {
      own(ff);
      const list = keys instanceof RegExp ? Object.keys(ff.attrs).filter((k) => new RegExp('^(?:' + keys.source + ')$').test(k)) : Array.from(keys);
      for (const key of list) if (key !== 'uuid') delete ff.attrs[key];
      return ff;
    },
    read(ff, callback) { processOf(callback)(new InputStream(own(ff).content)); },
    write(ff, callback) {
      own(ff);
      if (typeof callback === 'string' || callback instanceof Uint8Array || callback instanceof ArrayBuffer) {
        ff.content = typeof callback === 'string' ? new Content(callback, null) : new Content(null, toBytes(callback));
      } else {
        const out = new OutputStream();
        if (arity(callback) === 1) processOf(callback)(out);
        else processOf(callback)(new InputStream(ff.content), out);
        ff.content = out.content();
      }
      ff.written = true;
      return ff;
    },
    transfer(ff, relationship) {
      own(ff);
      if (relationship === undefined || relationship === null) throw new Error('transfer needs a relationship (REL_SUCCESS or REL_FAILURE)');
      ff.relationship = typeof relationship === 'string' ? relationship : String(relationship.name);
    },
    remove(ff) { own(ff).removed = true; ff.relationship = null; },
    penalize(ff) { return own(ff); },
    adjustCounter() {},
    commit() {},
    rollback() {
      for (const ff of taken) ff.relationship = null;
      queue.unshift(...taken.splice(0));
      created.length = 0;
    },
  };

  function format(message, args) {
    let text = String(message);
    const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    for (const v of values) {
      if (!text.includes('{}')) break;
      text = text.replace('{}', typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    return text;
  }
  function logger(level) { return (message, ...args) => { logs.push({ level, message: format(message, args) }); }; }
  const log = { trace: logger('debug'), debug: logger('debug'), info: logger('info'), warn: logger('warn'), error: logger('error') };
  const consoleLine = (level) => (...args) => logs.push({ level, message: args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') });
  const console = { log: consoleLine('info'), info: consoleLine('info'), debug: consoleLine('debug'), warn: consoleLine('warn'), error: consoleLine('error') };

  const StandardCharsets = Object.freeze({ UTF_8: 'UTF-8', US_ASCII: 'US-ASCII', ISO_8859_1: 'ISO-8859-1' });
  function decodeAs(bytes, charset) {
    const cs = String(charset || 'UTF-8').toUpperCase();
    if (cs === 'UTF-8' || cs === 'UTF8') return utf8Decode(bytes);
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  const IOUtils = {
    toString(stream, charset) {
      if (stream instanceof InputStream) {
        const cs = String(charset || 'UTF-8').toUpperCase();
        return cs === 'UTF-8' || cs === 'UTF8' ? stream.text() : decodeAs(stream.readAllBytes(), cs);
      }
      return decodeAs(toBytes(stream), charset);
    },
    toByteArray(stream) { return stream.readAllBytes(); },
    write(data, out) { out.write(data); },
    copy(input, out) { const b = input.readAllBytes(); out.write(b); return b.length; },
  };
  const callbackType = () => function (impl) { return typeof impl === 'function' ? { process: impl } : impl; };
  const javaTypes = {
    'org.apache.commons.io.IOUtils': IOUtils,
    'java.nio.charset.StandardCharsets': StandardCharsets,
    'org.apache.nifi.processor.io.StreamCallback': callbackType(),
    'org.apache.nifi.processor.io.InputStreamCallback': callbackType(),
    'org.apache.nifi.processor.io.OutputStreamCallback': callbackType(),
  };
  const Java = {
    type(name) {
      if (!Object.prototype.hasOwnProperty.call(javaTypes, name)) throw new Error("Java class '" + name + "' is not available to scripts");
      return javaTypes[name];
    },
  };

  const http = httpRef
    ? (function () {
        function request(method, url, options) {
          const o = options || {};
          const headers = Object.assign({}, o.headers || {});
          let body = o.body === undefined ? null : o.body;
          if (o.json !== undefined) { body = JSON.stringify(o.json); if (!headers['Content-Type']) headers['Content-Type'] = 'application/json'; }
          const binary = body !== null && typeof body !== 'string';
          if (binary) body = decodeAs(toBytes(body), 'ISO-8859-1');
          const reply = JSON.parse(httpRef.applySyncPromise(undefined, [JSON.stringify({ method: String(method).toUpperCase(), url: String(url), headers, body, binary, timeoutMs: o.timeoutMs == null ? null : o.timeoutMs })]));
          if (reply.error) throw new Error(reply.error);
          const raw = reply.body;
          return {
            status: reply.status,
            headers: reply.headers,
            text: utf8Decode(Uint8Array.from(raw, (c) => c.charCodeAt(0))),
            body: Uint8Array.from(raw, (c) => c.charCodeAt(0)),
            json() { return JSON.parse(this.text); },
          };
        }
        return {
          request,
          get: (url, options) => request('GET', url, options),
          post: (url, options) => request('POST', url, options),
          put: (url, options) => request('PUT', url, options),
          delete: (url, options) => request('DELETE', url, options),
        };
      })()
    : undefined;

  function runTransform() {
    // The simple form: the script only defines transform(input, attributes).
    if (typeof transform !== 'function' || taken.length > 0 || created.length > 0) return;
    for (let ff = session.get(); ff; ff = session.get()) {
      const text = ff.content.asText();
      let value;
      try { value = JSON.parse(text); } catch { value = text; }
      const attributes = Object.assign({}, ff.attrs);
      const result = transform(value, attributes);
      ff.attrs = {};
      for (const key of Object.keys(attributes)) ff.attrs[key] = String(attributes[key]);
      if (result !== undefined) {
        ff.content = typeof result === 'string' ? new Content(result, null) : result instanceof Uint8Array ? new Content(null, result) : new Content(JSON.stringify(result), null);
        ff.written = true;
      }
      ff.relationship = 'success';
    }
  }

  function finish() {
    runTransform();
    const pending = taken.concat(created).filter((ff) => ff.relationship === null && !ff.removed);
    if (pending.length > 0) {
      return { logs, error: { kind: 'session', message: pending.length + ' FlowFile(s) were neither transferred nor removed: ' + pending.join(', ') } };
    }
    const outputs = [];
    for (const ff of taken.concat(created)) {
      if (ff.removed && ff.source === null) continue;
      const written = ff.written;
      outputs.push({
        source: ff.source,
        attributes: ff.attrs,
        relationship: ff.removed ? null : ff.relationship,
        written,
        text: written && ff.content.text !== null ? ff.content.text : null,
        bytes: written && ff.content.text === null ? ff.content.bytes.slice().buffer : null,
      });
    }
    return { outputs, taken: taken.map((ff) => ff.source), logs };
  }

  const globals = { session, REL_SUCCESS, REL_FAILURE, log, console, IOUtils, StandardCharsets, Java };
  if (http) globals.http = http;
  for (const name of Object.keys(globals)) {
    Object.defineProperty(globalThis, name, { value: globals[name], writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(globalThis, '__sluiceFinish', { value: finish, writable: false, configurable: false, enumerable: false });
  Object.defineProperty(globalThis, '__sluiceLogs', { value: () => logs, writable: false, configurable: false, enumerable: false });
})();
`;
