import { defineControllerService, describeProperty, handleList, propertyHandles, type ControllerServiceContext, type PropertyHandle, type PropertyValues, type TlsStore, type ValidationResult } from '@sluice/flow-api';
import { SSL_CONTEXT_API, type SslContextProvider } from './http-listener.util.js';

const P = {
  keystore: 'Keystore Filename', keystorePassword: 'Keystore Password', keyPassword: 'Key Password', keystoreType: 'Keystore Type',
  truststore: 'Truststore Filename', truststorePassword: 'Truststore Password', truststoreType: 'Truststore Type', protocol: 'SSL Protocol',
} as const;

/** Java KeyStore formats Node's TLS cannot read; NiFi's keytool converts them to PKCS12. */
const JAVA_ONLY = ['JKS', 'BCFKS'];
const STORE_TYPES = [
  { value: 'PKCS12', displayName: 'PKCS12', description: 'A .p12/.pfx file.' },
  { value: 'PEM', displayName: 'PEM', description: 'Sluice: a PEM file (a keystore holds the private key and its certificate chain; a truststore the CA certificates).' },
  { value: 'JKS', displayName: 'JKS', description: 'Refused: Node.js cannot read Java KeyStores.' },
  { value: 'BCFKS', displayName: 'BCFKS', description: 'Refused: Node.js cannot read Bouncy Castle keystores.' },
];
const prop = describeProperty;

const PROPS = propertyHandles([
  prop(P.keystore, 'Path on the Sluice server of the keystore: the private key and certificate presented to the other side.', 'string'),
  prop(P.keystorePassword, 'Password of the keystore.', 'string', { sensitive: true, editor: 'password', dependsOn: [{ property: P.keystore }] }),
  prop(P.keyPassword, 'Password of the private key, when it differs from the keystore password.', 'string', { sensitive: true, editor: 'password', dependsOn: [{ property: P.keystore }] }),
  prop(P.keystoreType, 'Format of the keystore.', 'enum', { required: true, default: 'PKCS12', allowableValues: STORE_TYPES, dependsOn: [{ property: P.keystore }] }),
  prop(P.truststore, "Path on the Sluice server of the truststore: the CA certificates trusted for the other side's certificate (the system's CAs when empty).", 'string'),
  prop(P.truststorePassword, 'Password of the truststore (PKCS12).', 'string', { sensitive: true, editor: 'password', dependsOn: [{ property: P.truststore }] }),
  prop(P.truststoreType, 'Format of the truststore.', 'enum', { required: true, default: 'PKCS12', allowableValues: STORE_TYPES, dependsOn: [{ property: P.truststore }] }),
  prop(P.protocol, 'Lowest TLS version accepted (TLS: TLSv1.2 and above).', 'enum', { required: true, default: 'TLS', allowableValues: ['TLS', 'TLSv1.2', 'TLSv1.3'].map((v) => ({ value: v, displayName: v })) }),
]);

function validate(config: PropertyValues): ValidationResult[] {
  const out: ValidationResult[] = [];
  for (const [file, type] of [[P.keystore, P.keystoreType], [P.truststore, P.truststoreType]] as const) {
    const t = config[type]!;
    if (config[file] && JAVA_ONLY.includes(t)) {
      out.push({ property: type, message: `${type} ${t} is not supported: Node.js cannot read ${t} keystores; convert it to PKCS12 (keytool -importkeystore -deststoretype PKCS12) or PEM`, code: 'invalid' });
    }
  }
  if (config[P.keystore] && config[P.keystoreType] === 'PKCS12' && !config[P.keystorePassword]) {
    out.push({ property: P.keystorePassword, message: `${P.keystorePassword} is required for a PKCS12 keystore`, code: 'required' });
  }
  if (!config[P.keystore] && !config[P.truststore]) out.push({ property: null, message: `Set ${P.keystore}, ${P.truststore} or both`, code: 'required' });
  return out;
}

function enable(ctx: ControllerServiceContext): SslContextProvider {
  type Text = PropertyHandle<string, boolean>;
  const store = (file: Text, type: PropertyHandle<string, true>, password: Text): TlsStore | undefined => {
    const path = ctx.get(file)?.trim();
    if (!path) return undefined;
    return { path, type: ctx.get(type) as TlsStore['type'], password: ctx.get(password) || undefined };
  };
  const keyStore = store(PROPS[P.keystore], PROPS[P.keystoreType], PROPS[P.keystorePassword]);
  const trustStore = store(PROPS[P.truststore], PROPS[P.truststoreType], PROPS[P.truststorePassword]);
  const keyPassword = ctx.get(PROPS[P.keyPassword]) || undefined;
  const protocol = ctx.get(PROPS[P.protocol]);
  const minVersion = protocol === 'TLSv1.3' ? ('TLSv1.3' as const) : ('TLSv1.2' as const);
  return {
    hasTrustStore: trustStore !== undefined,
    serverTls(clientAuth) {
      if (!keyStore) throw new Error(`${ctx.serviceName}: a listener needs a keystore (${P.keystore})`);
      if (clientAuth !== 'none' && !trustStore) throw new Error(`${ctx.serviceName}: client authentication needs a truststore (${P.truststore})`);
      return { keyStore, keyPassword, trustStore, minVersion, clientAuth };
    },
    clientTls: () => ({ keyStore, keyPassword, trustStore, minVersion }),
  };
}

const common = {
  implements: [SSL_CONTEXT_API],
  tags: ['ssl', 'tls', 'secure', 'certificate', 'keystore', 'truststore', 'https'],
};

export const StandardSSLContextService = defineControllerService<SslContextProvider>({
  descriptor: {
    type: 'StandardSSLContextService',
    version: 1,
    displayName: 'Standard SSL Context Service',
    description:
      'Keystore and truststore for TLS: listeners (ListenHTTP, HandleHttpRequest) serve HTTPS with its keystore and check client ' +
      'certificates against its truststore; InvokeHTTP trusts its truststore and presents its keystore. PKCS12 and PEM files; ' +
      'JKS and BCFKS are refused (Node.js cannot read them). Files are read when a processor using it starts.',
    ...common,
    properties: handleList(PROPS),
  },
  validate,
  enable,
});

export const StandardRestrictedSSLContextService = defineControllerService<SslContextProvider>({
  descriptor: {
    type: 'StandardRestrictedSSLContextService',
    version: 1,
    displayName: 'Standard Restricted SSL Context Service',
    description: 'The Standard SSL Context Service limited to the TLS versions NiFi considers secure (TLSv1.2 and TLSv1.3).',
    ...common,
    properties: handleList(PROPS),
  },
  validate,
  enable,
});
