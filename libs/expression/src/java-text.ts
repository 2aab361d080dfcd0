/** commons-text StringEscapeUtils, java.net.URLEncoder/URLDecoder and java.net.URI equivalents. */

const ISO = 'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'.split(' ');
const GREEK_UP = 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega'.split(' ');
const GREEK_LOW = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega'.split(' ');
const HTML4_EXTRA: [string, number][] = Object.entries({
  fnof: 402, thetasym: 977, upsih: 978, piv: 982, bull: 8226, hellip: 8230, prime: 8242, Prime: 8243, oline: 8254, frasl: 8260, weierp: 8472, image: 8465,
  real: 8476, trade: 8482, alefsym: 8501, larr: 8592, uarr: 8593, rarr: 8594, darr: 8595, harr: 8596, crarr: 8629, lArr: 8656, uArr: 8657, rArr: 8658,
  dArr: 8659, hArr: 8660, forall: 8704, part: 8706, exist: 8707, empty: 8709, nabla: 8711, isin: 8712, notin: 8713, ni: 8715, prod: 8719, sum: 8721,
  minus: 8722, lowast: 8727, radic: 8730, prop: 8733, infin: 8734, ang: 8736, and: 8743, or: 8744, cap: 8745, cup: 8746, int: 8747, there4: 8756, sim: 8764,
  cong: 8773, asymp: 8776, ne: 8800, equiv: 8801, le: 8804, ge: 8805, sub: 8834, sup: 8835, nsub: 8836, sube: 8838, supe: 8839, oplus: 8853, otimes: 8855,
  perp: 8869, sdot: 8901, lceil: 8968, rceil: 8969, lfloor: 8970, rfloor: 8971, lang: 9001, rang: 9002, loz: 9674, spades: 9824, clubs: 9827, hearts: 9829,
  diams: 9830, OElig: 338, oelig: 339, Scaron: 352, scaron: 353, Yuml: 376, circ: 710, tilde: 732, ensp: 8194, emsp: 8195, thinsp: 8201, zwnj: 8204,
  zwj: 8205, lrm: 8206, rlm: 8207, ndash: 8211, mdash: 8212, lsquo: 8216, rsquo: 8217, sbquo: 8218, ldquo: 8220, rdquo: 8221, bdquo: 8222, dagger: 8224,
  Dagger: 8225, permil: 8240, lsaquo: 8249, rsaquo: 8250, euro: 8364,
});

const BASIC: [string, number][] = [['quot', 34], ['amp', 38], ['lt', 60], ['gt', 62]];
const HTML3 = new Map<number, string>([...BASIC.map(([n, c]) => [c, n] as [number, string]), ...ISO.map((n, i) => [160 + i, n] as [number, string])]);
const HTML4 = new Map<number, string>(HTML3);
GREEK_UP.forEach((n, i) => n !== '_' && HTML4.set(913 + i, n));
GREEK_LOW.forEach((n, i) => HTML4.set(945 + i, n));
for (const [n, c] of HTML4_EXTRA) HTML4.set(c, n);
const invert = (m: Map<number, string>) => new Map([...m].map(([c, n]) => [n, c]));
const HTML3_REV = invert(HTML3);
const HTML4_REV = invert(HTML4);

function escapeEntities(s: string, table: Map<number, string>): string {
  let out = '';
  for (const ch of s) {
    const name = table.get(ch.codePointAt(0)!);
    out += name ? `&${name};` : ch;
  }
  return out;
}

function unescapeEntities(s: string, table: Map<string, number>): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);/g, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    const cp = table.get(body);
    return cp === undefined ? m : String.fromCodePoint(cp);
  });
}

export const escapeHtml3 = (s: string) => escapeEntities(s, HTML3);
export const escapeHtml4 = (s: string) => escapeEntities(s, HTML4);
export const unescapeHtml3 = (s: string) => unescapeEntities(s, HTML3_REV);
export const unescapeHtml4 = (s: string) => unescapeEntities(s, HTML4_REV);

const XML = new Map<number, string>([[34, 'quot'], [38, 'amp'], [60, 'lt'], [62, 'gt'], [39, 'apos']]);
export function escapeXml(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const name = XML.get(c);
    if (name) out += `&${name};`;
    else if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff) continue;
    else if ((c >= 0x7f && c <= 0x84) || (c >= 0x86 && c <= 0x9f)) out += `&#${c};`;
    else out += ch;
  }
  return out;
}
export const unescapeXml = (s: string) => unescapeEntities(s, invert(XML));

export function escapeJson(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '/':
        out += '\\/';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\r':
        out += '\\r';
        break;
      default:
        out += c < 32 || c > 0x7e ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : ch;
    }
  }
  return out;
}

export function unescapeJson(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", '/': '/', b: '\b', n: '\n', t: '\t', f: '\f', r: '\r' };
    if (simple[n] !== undefined) out += simple[n];
    else if (n === 'u') {
      let j = i + 1;
      while (s[j] === 'u') j++;
      const hex = s.slice(j, j + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`invalid unicode escape '\\u${hex}'`);
      out += String.fromCharCode(parseInt(hex, 16));
      i = j + 3;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-3]?[0-7]{1,2}|^[0-7]/.exec(s.slice(i))!;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length - 1;
    } else out += '\\' + n;
  }
  return out;
}

export function escapeCsv(s: string): string {
  return /[,"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function unescapeCsv(s: string): string {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return s;
  const inner = s.slice(1, -1);
  return /[,"\r\n]/.test(inner) ? inner.replace(/""/g, '"') : s;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
export const toUtf8 = (s: string) => utf8.encode(s);

/** java.net.URLEncoder.encode(s, UTF-8): form encoding. */
export function urlEncode(s: string): string {
  let out = '';
  for (const b of utf8.encode(s)) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (b === 32) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function urlDecode(s: string): string {
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) out += utf8Decoder.decode(new Uint8Array(bytes));
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`illegal hex characters in escape (%) pattern: '${hex}'`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += ch === '+' ? ' ' : ch;
    }
  }
  flush();
  return out;
}

export function base64Encode(s: string): string {
  let bin = '';
  for (const b of utf8.encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}
export function base64Decode(s: string): string {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder('utf-8').decode(bytes);
}

// java.net.URI quoting: characters outside the allowed set of each component become %XX (UTF-8).
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const PUNCT = ',;:$&+=';
const allowed = (extra: string) => new RegExp(`[${UNRESERVED}${extra.replace(/[\]\\^-]/g, '\\$&')}]`);
const USERINFO = allowed(PUNCT);
const PATH = allowed(PUNCT + '/@');
const QUERY = allowed(PUNCT + '/@?[]');

function quote(s: string, ok: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (ok.test(ch) || ch === '%' || ch.codePointAt(0)! > 0x7f) out += ch;
    else for (const b of utf8.encode(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** new java.net.URI(scheme, userInfo, host, port, path, query, fragment).toString(). */
export function buildUri(scheme: string | null, userInfo: string | null, host: string | null, port: number, path: string | null, query: string | null, fragment: string | null): string {
  let out = '';
  if (scheme !== null) out += scheme + ':';
  if (userInfo !== null || host !== null || port !== -1) {
    out += '//';
    if (userInfo !== null) out += quote(userInfo, USERINFO) + '@';
    if (host !== null) out += host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    if (port !== -1) out += ':' + port;
  }
  if (path !== null) out += quote(path, PATH);
  if (query !== null) out += '?' + quote(query, QUERY);
  if (fragment !== null) out += '#' + quote(fragment, QUERY);
  return out;
}
