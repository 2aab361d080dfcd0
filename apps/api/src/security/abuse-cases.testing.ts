/**
 * The bad-input and abuse corpus: every route with malformed and oversized bodies, wrong shapes, deep nesting,
 * control characters, catastrophic regexes, string growth, the role matrix and every kind of bad token. Each case
 * names the status and (where it matters) the message it expects; the spec adds the invariants (a clear message,
 * nothing written, the server answering).
 */
export type TokenKind = 'admin' | 'editor' | 'viewer' | 'none' | 'garbage' | 'forged' | 'expired' | 'algNone' | 'deletedUser' | 'oldVersion' | 'apiKey' | 'basic';

export interface AbuseCase {
  readonly name: string;
  readonly method: string;
  /** `{flow}` (a flow with Login → Tag), `{outbound}` (a running outbound flow), `{viewerId}`, `{keyId}` are filled in. */
  readonly path: string;
  readonly as: TokenKind;
  readonly json?: unknown;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Announce this many bytes, send 64 KB: the answer must come before the rest. */
  readonly announce?: number;
  readonly status: number;
  readonly message?: RegExp;
  /** What the body of a successful answer must contain. */
  readonly result?: Record<string, unknown>;
}

const validDoc = { name: 'corpus flow' };
/** Inputs on which a backtracking engine would need about 2^5000 steps to give up. */
const ALMOST = `${'a'.repeat(5000)}!`;
const WORDS = 'hello world '.repeat(400);
const deep = (levels: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = { n: v };
  return v;
};
const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** Routes by the least role they need; ids that do not exist keep allowed calls from changing anything. */
const READ_ROUTES: [string, string][] = [
  ['GET', '/api/flows'], ['GET', '/api/flows/{flow}'], ['GET', '/api/flows/{flow}/export'], ['GET', '/api/flows/{flow}/status'],
  ['GET', '/api/flows/{flow}/connections/c1/queue'], ['GET', '/api/flows/{flow}/provenance'], ['GET', '/api/provenance/lineage/nope'],
  ['GET', '/api/processor-types'], ['GET', '/api/controller-service-types'], ['GET', '/api/templates'], ['GET', '/api/executions'], ['GET', '/api/executions/hourly'], ['GET', '/api/auth/me'],
];
const EDITOR_ROUTES: [string, string, unknown?][] = [
  ['POST', '/api/flows', validDoc], ['POST', '/api/flows/import', validDoc], ['PUT', '/api/flows/{flow}', { version: 1, document: validDoc }],
  ['PATCH', '/api/flows/{flow}', { name: 'renamed' }], ['DELETE', '/api/flows/{flow}'], ['POST', '/api/flows/{flow}/duplicate'],
  ['POST', '/api/flows/{flow}/start'], ['POST', '/api/flows/{flow}/stop'], ['POST', '/api/flows/{flow}/processors/tag/run-once'],
  ['POST', '/api/flows/{flow}/processors/tag/start'], ['POST', '/api/flows/{flow}/processors/tag/stop'], ['DELETE', '/api/flows/{flow}/connections/c1/queue'],
  ['POST', '/api/flows/{flow}/trigger'], ['POST', '/api/flows/{flow}/fetch-missing'], ['POST', '/api/flows/from-template', { templateId: 'stock-inbound' }],
  ['GET', '/api/flows/{flow}/api-keys'], ['POST', '/api/flows/{flow}/api-keys', { name: 'k' }], ['DELETE', '/api/flows/{flow}/api-keys/{keyId}'],
  ['POST', '/api/flows/{flow}/processors/login/test', {}], ['POST', '/api/outbound/{outbound}', [{ product_sku: 'A', stock: 1 }]],
];
const ADMIN_ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/users'], ['POST', '/api/users', { username: 'new-user', password: 'long-enough-1', role: 'viewer' }],
  ['PATCH', '/api/users/{viewerId}', { role: 'admin' }], ['DELETE', '/api/users/{viewerId}'],
];

function roleMatrix(): AbuseCase[] {
  const cases: AbuseCase[] = [];
  for (const [method, path, json] of EDITOR_ROUTES) {
    cases.push({ name: `viewer ${method} ${path}`, method, path, as: 'viewer', json, status: 403, message: /needs the 'editor' role.*you are 'viewer'/ });
  }
  for (const [method, path, json] of ADMIN_ROUTES) {
    for (const as of ['viewer', 'editor'] as const) cases.push({ name: `${as} ${method} ${path}`, method, path, as, json, status: 403, message: /needs the 'admin' role/ });
  }
  return cases;
}

const BAD_TOKENS: [TokenKind, RegExp][] = [
  ['none', /authentication required/], ['garbage', /invalid or expired token/], ['forged', /signature verification failed/], ['expired', /"exp" claim timestamp check failed/],
  ['algNone', /invalid or expired token/], ['deletedUser', /no longer exists/], ['oldVersion', /session has ended/], ['apiKey', /API keys authenticate only/],
  ['basic', /must be "Bearer <token>"/],
];

function tokenMatrix(): AbuseCase[] {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/flows'], ['GET', '/api/flows/{flow}'], ['POST', '/api/flows', validDoc], ['DELETE', '/api/flows/{flow}'], ['GET', '/api/users'],
    ['POST', '/api/test/expression', { expression: '${a}' }], ['GET', '/api/executions'], ['GET', '/api/auth/me'], ['POST', '/api/flows/{flow}/start'],
    ['POST', '/api/users', { username: 'x-user', password: 'long-enough-1', role: 'admin' }],
  ];
  return routes.flatMap(([method, path, json]) => BAD_TOKENS.map(([as, message]) => ({ name: `${as} token: ${method} ${path}`, method, path, as, json, status: 401, message })));
}

const BODY_ROUTES: [string, string, TokenKind][] = [
  ['POST', '/api/flows', 'editor'], ['POST', '/api/flows/import', 'editor'], ['PUT', '/api/flows/{flow}', 'editor'], ['PATCH', '/api/flows/{flow}', 'editor'],
  ['POST', '/api/users', 'admin'], ['PATCH', '/api/users/{viewerId}', 'admin'], ['POST', '/api/test/expression', 'viewer'], ['POST', '/api/test/mapping', 'viewer'],
  ['POST', '/api/test/script', 'viewer'], ['POST', '/api/flows/{flow}/processors/tag/test', 'viewer'], ['POST', '/api/flows/from-template', 'editor'],
  ['POST', '/api/flows/{flow}/api-keys', 'editor'], ['POST', '/api/auth/login', 'none'],
];

function malformedBodies(): AbuseCase[] {
  const json = { 'content-type': 'application/json' };
  return BODY_ROUTES.flatMap(([method, path, as]) => [
    { name: `broken JSON: ${method} ${path}`, method, path, as, body: '{"name": "x', headers: json, status: 400, message: /malformed JSON/ },
    { name: `JSON null: ${method} ${path}`, method, path, as, body: 'null', headers: json, status: 400 },
    { name: `array instead of object: ${method} ${path}`, method, path, as, json: [1, 2, 3], status: 400 },
    { name: `plain text: ${method} ${path}`, method, path, as, body: 'name=x', headers: { 'content-type': 'text/plain' }, status: 400 },
    { name: `nested 70 deep: ${method} ${path}`, method, path, as, json: deep(70), status: 400, message: /nests deeper than the limit of 64 levels/ },
  ]);
}

const oversized: AbuseCase[] = [
  { name: 'anonymous 100 MB upload', method: 'POST', path: '/api/flows', as: 'none', announce: 100 * 1024 * 1024, status: 401 },
  { name: 'anonymous upload to outbound', method: 'POST', path: '/api/outbound/{outbound}', as: 'none', announce: 60 * 1024 * 1024, status: 401 },
  { name: 'login body over 16 KB', method: 'POST', path: '/api/auth/login', as: 'none', announce: 64 * 1024 + 1, status: 413, message: /limit of 16384 bytes/ },
  { name: 'user body over 1 MB', method: 'POST', path: '/api/users', as: 'admin', announce: 2 * 1024 * 1024, status: 413, message: /limit of 1048576 bytes/ },
  { name: 'flow document over 10 MB', method: 'POST', path: '/api/flows', as: 'editor', announce: 11 * 1024 * 1024, status: 413, message: /10 MB/ },
  { name: 'test pane body over 2 MB', method: 'POST', path: '/api/test/expression', as: 'viewer', announce: 3 * 1024 * 1024, status: 413, message: /2 MB/ },
  { name: 'outbound batch over SLUICE_MAX_BODY', method: 'POST', path: '/api/outbound/{outbound}', as: 'apiKey', announce: 60 * 1024 * 1024, status: 413 },
  { name: 'viewer upload to an editor route', method: 'POST', path: '/api/flows', as: 'viewer', announce: 9 * 1024 * 1024, status: 403 },
];

const flow = (extra: Record<string, unknown>) => ({ name: 'bad flow', ...extra });
const proc = (extra: Record<string, unknown>) => ({ id: 'p', type: 'UpdateAttribute', name: 'P', ...extra });

const shapes: AbuseCase[] = [
  // flows (a value a processor or the Configuration card refuses is a draft's problem, not a refusal: see flows-drafts)
  { name: 'flow without name', method: 'POST', path: '/api/flows', as: 'editor', json: { processors: [] }, status: 400, message: /name/ },
  { name: 'flow name blank', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ name: '   ' }), status: 400, message: /blank/ },
  { name: 'flow name with NUL', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ name: 'a\u0000b' }), status: 400, message: /control characters/ },
  { name: 'flow name with an escape sequence', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ name: '\u001b[31mred' }), status: 400, message: /control characters/ },
  { name: 'flow name of 201 characters', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ name: 'x'.repeat(201) }), status: 400, message: /name/ },
  { name: 'processors not an array', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ processors: 'all' }), status: 400, message: /processors/ },
  { name: 'processor name with control characters', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ processors: [proc({ name: 'bell\u0007' })] }), status: 400, message: /control characters/ },
  { name: 'duplicate processor ids', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ processors: [proc({}), proc({})] }), status: 400, message: /Another processor has the id 'p'/ },
  { name: 'connection to a missing processor', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ processors: [proc({})], connections: [{ id: 'c', sourceId: 'p', relationships: ['success'], targetId: 'ghost' }] }), status: 400, message: /ends at processor 'ghost', which is not in the flow/ },
  { name: 'concurrent tasks 0', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ processors: [proc({ scheduling: { concurrentTasks: 0 } })] }), status: 400, message: /concurrentTasks/ },
  { name: 'property value not a string', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ processors: [proc({ properties: { a: 1 } })] }), status: 400, message: /properties/ },
  { name: 'parameter value not a string', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ parameters: { a: { deep: true } } }), status: 400, message: /parameters/ },
  { name: 'sensitiveParameters not an array', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ sensitiveParameters: 'all' }), status: 400, message: /sensitiveParameters/ },
  { name: 'schedule type unknown', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ integration: { schedule: { type: 'sometimes' } } }), status: 400, message: /schedule/ },
  { name: 'save without version', method: 'PUT', path: '/api/flows/{flow}', as: 'editor', json: { document: validDoc }, status: 400, message: /version is required/ },
  { name: 'save with a version string', method: 'PUT', path: '/api/flows/{flow}', as: 'editor', json: { version: '1', document: validDoc }, status: 400, message: /version/ },
  { name: 'stale save', method: 'PUT', path: '/api/flows/{flow}', as: 'editor', json: { version: 999, document: validDoc }, status: 409, message: /reload it/ },
  { name: 'rename to blank', method: 'PATCH', path: '/api/flows/{flow}', as: 'editor', json: { name: '  ' }, status: 400, message: /name is required/ },
  { name: 'unknown template', method: 'POST', path: '/api/flows/from-template', as: 'editor', json: { templateId: 'nope' }, status: 400, message: /unknown template 'nope'/ },
  { name: 'template parameter it does not have', method: 'POST', path: '/api/flows/from-template', as: 'editor', json: { templateId: 'stock-inbound', parameters: { rogue: 'x' } }, status: 400, message: /has no parameter 'rogue'/ },
  // users
  { name: 'role that does not exist', method: 'POST', path: '/api/users', as: 'admin', json: { username: 'r', password: 'long-enough-1', role: 'root' }, status: 400, message: /role/ },
  { name: 'password too short', method: 'POST', path: '/api/users', as: 'admin', json: { username: 'r', password: 'short', role: 'viewer' }, status: 400, message: /password/ },
  { name: 'username with a NUL', method: 'POST', path: '/api/users', as: 'admin', json: { username: 'a\u0000', password: 'long-enough-1', role: 'viewer' }, status: 400, message: /control or invisible/ },
  { name: 'username with a bidi override', method: 'POST', path: '/api/users', as: 'admin', json: { username: 'adm\u202enimda', password: 'long-enough-1', role: 'viewer' }, status: 400, message: /control or invisible/ },
  { name: 'username blank', method: 'POST', path: '/api/users', as: 'admin', json: { username: ' \t ', password: 'long-enough-1', role: 'viewer' }, status: 400, message: /blank|control/ },
  { name: 'username taken, other case', method: 'POST', path: '/api/users', as: 'admin', json: { username: 'CORPUS-VIEWER', password: 'long-enough-1', role: 'viewer' }, status: 409, message: /already exists/ },
  { name: 'unknown user field', method: 'POST', path: '/api/users', as: 'admin', json: { username: 'u2', password: 'long-enough-1', role: 'viewer', admin: true }, status: 400, message: /admin/ },
  { name: 'update of a missing user', method: 'PATCH', path: '/api/users/nobody', as: 'admin', json: { role: 'viewer' }, status: 404, message: /user 'nobody' not found/ },
  { name: 'delete yourself', method: 'DELETE', path: '/api/users/{adminId}', as: 'admin', status: 400, message: /your own account/ },
  { name: 'login without password', method: 'POST', path: '/api/auth/login', as: 'none', json: { username: 'admin' }, status: 400, message: /password/ },
  { name: 'login with a number', method: 'POST', path: '/api/auth/login', as: 'none', json: { username: 1, password: 2 }, status: 400, message: /username/ },
  { name: 'login with a wrong password', method: 'POST', path: '/api/auth/login', as: 'none', json: { username: 'corpus-editor', password: 'wrong-password' }, status: 401, message: /invalid username or password/ },
  // test panes
  { name: 'expression not a string', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: 42 }, status: 400, message: /expression/ },
  { name: 'attributes not strings', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: '${a}', attributes: { a: 1 } }, status: 400, message: /attributes/ },
  // ReDoS: patterns that backtrack exponentially run on the linear-time engine and answer at once, well inside the pane's deadline
  { name: 'ReDoS in matches', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: `\${literal('${ALMOST}'):matches('(a|a)+$')}` }, status: 200, result: { result: 'false' } },
  { name: 'ReDoS in find', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: `\${literal('${WORDS}!'):find('^(\\\\w+\\\\s?)*$')}` }, status: 200, result: { result: 'false' } },
  { name: 'ReDoS in replaceAll', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: `\${literal('${'x'.repeat(5000)}'):replaceAll('(x+x+)+y', '')}` }, status: 200, result: { result: 'x'.repeat(5000) } },
  { name: 'ReDoS in replaceAll with groups', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: "${literal('ab abc ababc'):replaceAll('(a|ab)*c', '[$1]')}" }, status: 200, result: { result: 'ab [ab] [ab]' } },
  { name: 'ReDoS built from an attribute', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: '${a:find(${p})}', attributes: { a: ALMOST, p: '(a|a)+$' } }, status: 200, result: { result: 'false' } },
  { name: 'ReDoS in a mapping split', method: 'POST', path: '/api/test/mapping', as: 'viewer', json: { spec: [{ operation: 'modify-overwrite-beta', spec: { x: "=split('(\\s|,)+', @(1,x))" } }], input: JSON.stringify({ x: `${ALMOST}, b` }) }, status: 200, result: { output: { x: [ALMOST, 'b'] } } },
  // ...unless they need what that engine lacks: back references, lookahead
  { name: 'ReDoS with a back reference', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: `\${literal('${ALMOST}'):matches('(a|a)+\\\\1$')}` }, status: 400, message: /regular expression '\(a\|a\)\+\\1\$' is refused: .*exponential time, and it uses a back reference \(\\1\)/ },
  { name: 'ReDoS with a lookahead', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: "${literal('xxxx'):replaceAll('(x+x+)+(?=y)', '')}" }, status: 400, message: /is refused: .*exponential time, and it uses a lookahead/ },
  { name: 'ReDoS with a back reference built from an attribute', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: '${a:find(${p})}', attributes: { a: ALMOST, p: '(\\w+\\s?)*\\1$' } }, status: 400, message: /is refused: .*and it uses a back reference/ },
  { name: 'ReDoS with a back reference in a mapping split', method: 'POST', path: '/api/test/mapping', as: 'viewer', json: { spec: [{ operation: 'modify-overwrite-beta', spec: { x: "=split('(a|a)+\\1', @(1,x))" } }], input: '{"x": "a"}' }, status: 400, message: /is refused: .*and it uses a back reference/ },
  { name: 'polynomial regex past the pane deadline', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: `\${literal('${'a'.repeat(300)}'):matches('a*a*a*a*a*a*b')}` }, status: 400, message: /time limit of 2000 ms/ },
  { name: 'string growth by repeat', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: "${literal('a'):repeat(40000000)}" }, status: 400, message: /exceed the limit of 1048576/ },
  { name: 'string growth by chained repeats', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: "${literal('ab'):repeat(1000):repeat(1000):repeat(1000)}" }, status: 400, message: /exceed the limit/ },
  { name: 'string growth by padLeft', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: '${a:padLeft(2000000000)}', attributes: { a: 'x' } }, status: 400, message: /exceed the limit/ },
  { name: 'expression nested 5000 deep', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: '${a:equals('.repeat(5000) + "'x'" + ')}'.repeat(5000) }, status: 400, message: /limit of 100 levels/ },
  { name: 'expression of 50,000 nested calls', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: '${a:equals('.repeat(50_000) + "'x'" + ')}'.repeat(50_000) }, status: 400, message: /at most 100000 characters/ },
  { name: 'control characters in an expression', method: 'POST', path: '/api/test/expression', as: 'viewer', json: { expression: "${literal('a\u0000\u0007'):length()}" }, status: 200 },
  { name: 'mapping spec not JSON', method: 'POST', path: '/api/test/mapping', as: 'viewer', json: { spec: '[{', input: '[]' }, status: 400, message: /spec is not valid JSON/ },
  { name: 'mapping input nested 100 deep as text', method: 'POST', path: '/api/test/mapping', as: 'viewer', json: { spec: [{ operation: 'shift', spec: { '*': 'x' } }], input: deepArray(100) }, status: 400, message: /input nests deeper than the limit of 64/ },
  { name: 'mapping with an unknown operation', method: 'POST', path: '/api/test/mapping', as: 'viewer', json: { spec: [{ operation: 'explode', spec: {} }], input: [] }, status: 400, message: /explode/ },
  { name: 'script in an unknown language', method: 'POST', path: '/api/test/script', as: 'viewer', json: { language: 'ruby', script: 'x' }, status: 400, message: /language/ },
  { name: 'empty script', method: 'POST', path: '/api/test/script', as: 'viewer', json: { language: 'python', script: '' }, status: 400, message: /script is required/ },
  { name: 'script timeout past the viewer cap', method: 'POST', path: '/api/test/script', as: 'viewer', json: { language: 'javascript', script: 'x', timeoutMs: 120_000 }, status: 400, message: /at most 10000 ms/ },
  { name: 'processor test on a missing FlowFile', method: 'POST', path: '/api/flows/{flow}/processors/tag/test', as: 'viewer', json: { flowFileUuid: 'nope' }, status: 404, message: /queued FlowFile 'nope' not found/ },
  { name: 'processor test with attributes not strings', method: 'POST', path: '/api/flows/{flow}/processors/tag/test', as: 'viewer', json: { attributes: { a: [] } }, status: 400, message: /attributes/ },
  { name: 'processor test of a missing processor', method: 'POST', path: '/api/flows/{flow}/processors/ghost/test', as: 'viewer', json: {}, status: 404, message: /processor 'ghost' not found/ },
  { name: 'API key name with control characters', method: 'POST', path: '/api/flows/{flow}/api-keys', as: 'editor', json: { name: 'k\u0000' }, status: 400, message: /control or invisible/ },
  { name: 'API key without name', method: 'POST', path: '/api/flows/{flow}/api-keys', as: 'editor', json: {}, status: 400, message: /name/ },
  // outbound
  { name: 'outbound body an empty object', method: 'POST', path: '/api/outbound/{outbound}', as: 'apiKey', json: {}, status: 400, message: /JSON array of rows/ },
  { name: 'outbound rows Omnitron cannot take', method: 'POST', path: '/api/outbound/{outbound}', as: 'apiKey', json: [{ product_sku: 'A', stock: 'lots' }], status: 400, message: /stock "lots" is not a number/ },
  { name: 'outbound rows nested 70 deep', method: 'POST', path: '/api/outbound/{outbound}', as: 'apiKey', json: [deep(70)], status: 400, message: /nests deeper/ },
  { name: 'outbound with a forged key', method: 'POST', path: '/api/outbound/{outbound}', as: 'none', headers: { 'x-api-key': 'slk_forged' }, json: [], status: 401, message: /invalid API key/ },
  { name: 'outbound with a key of another flow', method: 'POST', path: '/api/outbound/{flow}', as: 'apiKey', json: [], status: 401, message: /invalid API key/ },
  // query and path parameters
  { name: 'provenance limit=abc', method: 'GET', path: '/api/flows/{flow}/provenance?limit=abc', as: 'viewer', status: 400, message: /limit/ },
  { name: 'provenance limit=0', method: 'GET', path: '/api/flows/{flow}/provenance?limit=0', as: 'viewer', status: 400, message: /limit/ },
  { name: 'provenance limit=100000', method: 'GET', path: '/api/flows/{flow}/provenance?limit=100000', as: 'viewer', status: 400, message: /limit/ },
  { name: 'provenance unknown eventType', method: 'GET', path: '/api/flows/{flow}/provenance?eventType=BOOM', as: 'viewer', status: 400, message: /eventType/ },
  { name: 'provenance before=-1', method: 'GET', path: '/api/flows/{flow}/provenance?before=-1', as: 'viewer', status: 400, message: /before/ },
  { name: 'provenance repeated limit', method: 'GET', path: '/api/flows/{flow}/provenance?limit=1&limit=2', as: 'viewer', status: 400, message: /limit/ },
  { name: 'provenance unknown parameter', method: 'GET', path: '/api/flows/{flow}/provenance?drop=table', as: 'viewer', status: 400, message: /drop/ },
  { name: 'queue limit=abc', method: 'GET', path: '/api/flows/{flow}/connections/c1/queue?limit=abc', as: 'viewer', status: 400, message: /limit/ },
  { name: 'queue limit=1e9', method: 'GET', path: '/api/flows/{flow}/connections/c1/queue?limit=1e9', as: 'viewer', status: 400, message: /limit/ },
  { name: 'executions limit=abc', method: 'GET', path: '/api/executions?limit=abc', as: 'viewer', status: 400, message: /limit/ },
  { name: 'executions unknown status', method: 'GET', path: '/api/executions?status=weird', as: 'viewer', status: 400, message: /status/ },
  { name: 'executions from not a date', method: 'GET', path: '/api/executions?from=yesterday-ish', as: 'viewer', status: 400, message: /from/ },
  { name: 'executions offset=-1', method: 'GET', path: '/api/executions?offset=-1', as: 'viewer', status: 400, message: /offset/ },
  { name: 'hourly hours=0', method: 'GET', path: '/api/executions/hourly?hours=0', as: 'viewer', status: 400, message: /hours/ },
  { name: 'rows of an execution, bad status', method: 'GET', path: '/api/executions/none/rows?status=x', as: 'viewer', status: 400, message: /status/ },
  { name: 'trigger a flow without Integrator settings', method: 'POST', path: '/api/flows/{flow}/trigger?sku=1', as: 'editor', status: 400, message: /no Integrator configuration/ },
  { name: 'broken percent-encoding in a path', method: 'GET', path: '/api/flows/%E0%A4%A', as: 'viewer', status: 400 },
  { name: 'a 5000-character id', method: 'GET', path: `/api/flows/${'x'.repeat(5000)}`, as: 'viewer', status: 404, message: /not found/ },
  { name: 'an id with a NUL', method: 'GET', path: '/api/flows/a%00b', as: 'viewer', status: 400, message: /NUL character/ },
  { name: 'a filter with a NUL', method: 'GET', path: '/api/executions?sku=a%00', as: 'viewer', status: 400, message: /NUL character/ },
  { name: 'a description with a NUL', method: 'POST', path: '/api/flows', as: 'editor', json: flow({ description: 'a\u0000b' }), status: 400, message: /NUL/ },
  { name: 'empty a missing queue', method: 'DELETE', path: '/api/flows/{flow}/connections/ghost/queue', as: 'editor', status: 404, message: /connection 'ghost' not found/ },
  { name: 'content of a FlowFile that is not queued', method: 'GET', path: '/api/flows/{flow}/connections/c1/queue/nope/content', as: 'viewer', status: 404, message: /not found/ },
  { name: 'unknown route', method: 'GET', path: '/api/does-not-exist', as: 'viewer', status: 404 },
  { name: 'wrong method', method: 'PATCH', path: '/api/processor-types', as: 'admin', status: 404 },
];

const reads: AbuseCase[] = READ_ROUTES.map(([method, path]) => ({ name: `viewer reads ${path}`, method, path, as: 'viewer', status: 200 }));

export const ABUSE_CASES: readonly AbuseCase[] = [...tokenMatrix(), ...roleMatrix(), ...malformedBodies(), ...oversized, ...shapes, ...reads];
