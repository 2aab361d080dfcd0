import { handleList, propertyHandles, defineProcessor, REL_FAILURE, REL_SUCCESS, type ProcessContext, type PropertyHandle } from '@sluice/flow-api';
import {
  ERP_AUTH_TYPES,
  erpCacheKey,
  erpCredential,
  omnitronCacheKey,
  omnitronToken,
  rememberRecipe,
  TOKEN_PATH,
  type ErpAuthType,
  type ErpLoginRecipe,
  type OmnitronRecipe,
} from '../integrator-shared/integrator-auth.util.js';
import { documentAt, DRY_RUN_TOKEN, mergeDocuments } from '../integrator-shared/dry-run.util.js';
import { IntegratorStepError } from '../integrator-shared/integrator-errors.js';
import { retriesTransientFailures, retryLater, retryLaterProperties, retryProperties, retryPolicy } from '../integrator-shared/retry-properties.js';

const LOGIN = 'Login';
const ERP = 'ERP Login';
const erpTypes = (...types: ErpAuthType[]) => [{ property: 'ERP Auth Type', values: types }];
const TOKEN_LOGINS: ErpAuthType[] = ['jwt', 'oauth2-client-credentials', 'oauth2-password'];

/** The ERP credential's header, also when the property is left blank. */
const AUTH_HEADER = 'Authorization';

const PROPS = propertyHandles([
  {
    name: 'Omnitron Domain URL', displayName: 'Domain URL', description: "Omnitron's domain URL, e.g. https://demo.omnitron.akinon.net/.",
    type: 'string', required: true, expressionScope: 'environment', validators: [{ kind: 'url' }], group: LOGIN, placeholder: 'https://demo.omnitron.akinon.net/', exposedAs: 'target.url',
  },
  { name: 'Omnitron Username', displayName: 'Omnitron Username', description: 'The Integrator user in Omnitron.', type: 'string', required: true, expressionScope: 'environment', group: LOGIN, exposedAs: 'target.username' },
  { name: 'Omnitron Password', displayName: 'Omnitron Password', description: 'Password of the Integrator user.', type: 'string', required: true, sensitive: true, editor: 'password', group: LOGIN, exposedAs: 'target.password' },
  {
    name: 'Omnitron Token TTL', displayName: 'Omnitron Token Lifetime', description: 'How long a cached Omnitron token is reused before logging in again (a 401 always forces a new login).',
    type: 'duration', default: '12 hours', group: LOGIN,
  },
  {
    name: 'ERP Auth Type', displayName: 'ERP Authentication', description: 'How to authenticate against the ERP, if at all.', type: 'enum', default: 'none', group: ERP,
    allowableValues: [
      { value: 'none', displayName: 'None', description: 'The ERP needs no login (or the URL carries it).' },
      { value: 'jwt', displayName: 'JWT login', description: 'POST a login body, read the token from the reply with a JSON path.' },
      { value: 'basic', displayName: 'Basic', description: 'HTTP Basic with a username and password.' },
      { value: 'oauth2-client-credentials', displayName: 'OAuth2 client credentials', description: 'grant_type=client_credentials at the token URL.' },
      { value: 'oauth2-password', displayName: 'OAuth2 password grant', description: 'grant_type=password at the token URL.' },
      { value: 'permanent-token', displayName: 'Permanent token', description: 'A fixed token sent with the header prefix.' },
      { value: 'custom-header', displayName: 'Custom header', description: 'A fixed value sent in a header of your choice (API keys).' },
    ],
  },
  {
    name: 'ERP Login URL', displayName: 'ERP Login URL', description: 'Where to POST the login (JWT) or the token request (OAuth2).', type: 'string', required: true,
    expressionScope: 'environment', validators: [{ kind: 'url' }], dependsOn: erpTypes(...TOKEN_LOGINS), group: ERP,
  },
  {
    name: 'ERP Login Method', displayName: 'ERP Login Method', description: 'HTTP method of the JWT login.', type: 'enum', default: 'POST', dependsOn: erpTypes('jwt'), group: ERP,
    allowableValues: [{ value: 'POST', displayName: 'POST' }, { value: 'PUT', displayName: 'PUT' }, { value: 'GET', displayName: 'GET' }],
  },
  { name: 'ERP Login Headers', displayName: 'ERP Login Headers', description: 'Extra headers of the login request, as a JSON object.', type: 'dict', editor: 'keyValue', dependsOn: erpTypes(...TOKEN_LOGINS), group: ERP },
  {
    name: 'ERP Login Body', displayName: 'ERP Login Body', description: 'Body of the JWT login, usually JSON with the credentials. Defaults to {"username", "password"} from the fields below.',
    type: 'code', editor: 'json', sensitive: true, expressionScope: 'environment', dependsOn: erpTypes('jwt'), group: ERP,
  },
  { name: 'ERP Token JSON Path', displayName: 'Token JSON Path', description: 'Where the token is in the login reply.', type: 'string', default: TOKEN_PATH, dependsOn: erpTypes(...TOKEN_LOGINS), group: ERP },
  {
    name: 'ERP Token Expiry JSON Path', displayName: 'Expiry JSON Path', description: 'Where the lifetime in seconds is in the login reply; empty to use the lifetime below.',
    type: 'string', default: '$.expires_in', dependsOn: erpTypes(...TOKEN_LOGINS), group: ERP,
  },
  { name: 'ERP Token TTL', displayName: 'Token Lifetime', description: 'Lifetime of an ERP token when the reply does not say.', type: 'duration', default: '30 mins', dependsOn: erpTypes(...TOKEN_LOGINS), group: ERP },
  { name: 'ERP Username', displayName: 'ERP Username', description: 'ERP user (Basic, OAuth2 password grant, default JWT body).', type: 'string', expressionScope: 'environment', dependsOn: erpTypes('jwt', 'basic', 'oauth2-password'), group: ERP },
  { name: 'ERP Password', displayName: 'ERP Password', description: 'Password of the ERP user.', type: 'string', sensitive: true, editor: 'password', dependsOn: erpTypes('jwt', 'basic', 'oauth2-password'), group: ERP },
  { name: 'ERP Client ID', displayName: 'Client ID', description: 'OAuth2 client id.', type: 'string', required: true, dependsOn: erpTypes('oauth2-client-credentials'), group: ERP },
  { name: 'ERP Client Secret', displayName: 'Client Secret', description: 'OAuth2 client secret.', type: 'string', sensitive: true, editor: 'password', dependsOn: erpTypes('oauth2-client-credentials', 'oauth2-password'), group: ERP },
  { name: 'ERP OAuth Scope', displayName: 'Scope', description: 'OAuth2 scope, if the ERP wants one.', type: 'string', dependsOn: erpTypes('oauth2-client-credentials', 'oauth2-password'), group: ERP },
  { name: 'ERP Token', displayName: 'ERP Token', description: 'The fixed token or header value.', type: 'string', required: true, sensitive: true, editor: 'password', dependsOn: erpTypes('permanent-token', 'custom-header'), group: ERP },
  {
    name: 'ERP Auth Header Name', displayName: 'Auth Header Name', description: 'Header that carries the ERP credential on later requests.', type: 'string', default: AUTH_HEADER,
    dependsOn: erpTypes('jwt', 'oauth2-client-credentials', 'oauth2-password', 'permanent-token', 'custom-header'), group: ERP,
  },
  {
    name: 'ERP Auth Header Prefix', displayName: 'Auth Header Prefix', description: "Text before the token in that header (mind the space: 'Bearer ', 'Token '); empty for none.",
    type: 'string', default: 'Bearer ', dependsOn: erpTypes('jwt', 'oauth2-client-credentials', 'oauth2-password', 'permanent-token', 'custom-header'), group: ERP,
  },
  ...retryProperties(ERP),
  ...retryLaterProperties(ERP),
]);

/**
 * The Integrator's Login step: logs in to Omnitron (and optionally the ERP), caches the tokens until they
 * expire, and hands them to the next steps as attributes. Without an incoming FlowFile (a scheduled
 * start) it creates one.
 */
export const IntegratorLogin = defineProcessor({
  descriptor: {
    type: 'IntegratorLogin',
    version: 1,
    displayName: 'Login',
    description: 'Logs in to Omnitron and, if configured, to the ERP; passes the tokens on as attributes. A failed login goes to failure with the reason.',
    category: 'integrator',
    roles: ['login'],
    tags: ['integrator', 'omnitron', 'erp', 'login', 'auth', 'token'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'The FlowFile with token.omnitron (and token.erp) attributes.' },
      { ...REL_FAILURE, description: 'A login was refused (or failed for a transient reason with Transient Failures set to failure, or on a scheduled start); login.error holds the reason.' },
    ],
    inputRequirement: 'allowed',
    sideEffects: { systems: ['Omnitron', 'the ERP'], writes: false },
    writesAttributes: [
      { name: 'token.omnitron', description: 'Omnitron token; send as Authorization: Token <key>.' },
      { name: 'omnitron.domain', description: 'The Omnitron domain URL, without a trailing slash.' },
      { name: 'omnitron.auth.key', description: 'Token-cache key under which later steps find the Omnitron credentials to log in again.' },
      { name: 'token.erp', description: 'The ERP token (Basic: the base64 credentials).' },
      { name: 'erp.auth.header.name', description: 'Header to send the ERP credential in.' },
      { name: 'erp.auth.header.value', description: 'Value of that header.' },
      { name: 'erp.auth.key', description: 'Token-cache key under which later steps find the ERP login to renew the token on a 401.' },
      { name: 'login.error', error: true, description: 'Why the login failed, or why it waits to try again.' },
      { name: 'login.retry.count', description: 'Tries so far that ended in a transient failure (Omnitron or the ERP unreachable, 5xx).' },
    ],
    defaultSchedule: { strategy: 'timer', period: '5 mins' },
  },

  // Omnitron's login answers {"key"}; an ERP's where its token paths say, so the step goes on to the next login.
  dryRunResponse(request, config) {
    if (/\/api\/v1\/auth\/login\/?$/.test(new URL(request.url).pathname)) return { status: 200, body: { key: DRY_RUN_TOKEN } };
    const token = documentAt(config['ERP Token JSON Path'] || TOKEN_PATH, DRY_RUN_TOKEN);
    const expiry = config['ERP Token Expiry JSON Path'];
    return { status: 200, body: expiry ? mergeDocuments(token, documentAt(expiry, 3600)) : token };
  },

  validate(config) {
    const type = config['ERP Auth Type'];
    const has = (name: string) => (config[name] ?? '') !== '';
    if (type === 'jwt' && !has('ERP Login Body') && !has('ERP Username')) {
      return [{ property: 'ERP Login Body', message: 'A JWT login needs a login body or an ERP username', code: 'required' }];
    }
    if ((type === 'basic' || type === 'oauth2-password') && !has('ERP Username')) {
      return [{ property: 'ERP Username', message: `ERP Username is required for ${type === 'basic' ? 'Basic' : 'the OAuth2 password grant'}`, code: 'required' }];
    }
    return [];
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    // A FlowFile this step created has no queue to wait in, and nothing was acknowledged for it yet.
    const created = !flowFile;
    if (!flowFile) {
      if (ctx.hasIncomingConnection()) return;
      flowFile = session.create();
    }
    const policy = retryPolicy(ctx);
    try {
      const attributes: Record<string, string> = {};
      const omnitron = omnitronRecipe(ctx);
      attributes['token.omnitron'] = await omnitronToken(ctx.services, omnitron, policy);
      attributes['omnitron.domain'] = omnitron.domain;
      attributes['omnitron.auth.key'] = omnitronCacheKey(omnitron);
      await rememberRecipe(ctx.services, attributes['omnitron.auth.key'], omnitron);

      const erp = erpRecipe(ctx);
      if (erp) {
        const credential = await erpCredential(ctx.services, erp, policy);
        if (credential) {
          attributes['token.erp'] = credential.token;
          attributes['erp.auth.header.name'] = credential.headerName;
          attributes['erp.auth.header.value'] = credential.headerValue;
          attributes['erp.auth.key'] = erpCacheKey(erp);
          await rememberRecipe(ctx.services, attributes['erp.auth.key'], erp);
        }
      }
      flowFile = session.removeAllAttributes(flowFile, ['login.error', 'login.retry.count']);
      session.transfer(session.putAllAttributes(flowFile, attributes), REL_SUCCESS);
    } catch (e) {
      if (!(e instanceof IntegratorStepError)) throw e;
      if (e.transient && !created && retriesTransientFailures(ctx)) {
        retryLater(ctx, session, flowFile, 'login', `Login failed: ${e.message}`);
        return;
      }
      ctx.log.error(`Login failed: ${e.message}`);
      session.transfer(session.putAttribute(flowFile, 'login.error', e.message), REL_FAILURE);
    }
  },
});

function omnitronRecipe(ctx: ProcessContext): OmnitronRecipe {
  const domain = (ctx.get(PROPS['Omnitron Domain URL']) ?? '').replace(/\/+$/, '');
  return {
    domain,
    username: ctx.get(PROPS['Omnitron Username']) ?? '',
    password: ctx.get(PROPS['Omnitron Password']) ?? '',
    ttlMs: ctx.get(PROPS['Omnitron Token TTL']),
  };
}

function erpRecipe(ctx: ProcessContext): ErpLoginRecipe | null {
  const type = ctx.get(PROPS['ERP Auth Type']) as ErpAuthType;
  if (!ERP_AUTH_TYPES.includes(type)) throw new IntegratorStepError(`unknown ERP auth type '${type}'`);
  if (type === 'none') return null;
  // A blank value counts as unset; Expression Language is evaluated where the property takes it.
  const str = (handle: PropertyHandle<string, boolean>) => ctx.get(handle) || undefined;
  return {
    type,
    url: str(PROPS['ERP Login URL']),
    method: str(PROPS['ERP Login Method']),
    headers: ctx.property(PROPS['ERP Login Headers']).isSet() ? ctx.get(PROPS['ERP Login Headers']) : undefined,
    body: str(PROPS['ERP Login Body']),
    tokenPath: str(PROPS['ERP Token JSON Path']),
    expiresInPath: str(PROPS['ERP Token Expiry JSON Path']),
    ttlMs: ctx.get(PROPS['ERP Token TTL']),
    username: str(PROPS['ERP Username']),
    password: str(PROPS['ERP Password']),
    clientId: str(PROPS['ERP Client ID']),
    clientSecret: str(PROPS['ERP Client Secret']),
    scope: str(PROPS['ERP OAuth Scope']),
    token: str(PROPS['ERP Token']),
    headerName: str(PROPS['ERP Auth Header Name']) ?? AUTH_HEADER,
    // An explicit empty prefix must stay empty, so read the raw value here.
    headerPrefix: ctx.get(PROPS['ERP Auth Header Prefix']),
  };
}
