import type { FlowDocumentInput } from '@sluice/contracts';
import { BASE_PYTHON_SCRIPT, IMAGE_MAPPING_SPEC, STOCK_MAPPING_SPEC } from './seed-snippets.js';

export interface FlowTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly kind: 'stock' | 'image';
  readonly direction: 'inbound' | 'outbound';
  /** A fresh document; connection settings are flow parameters, so they are set once per flow. */
  build(): FlowDocumentInput;
}

/** Parameters every Integrator template reads; the user fills them in the flow's parameter list. */
const OMNITRON_PARAMETERS = {
  'omnitron.url': 'https://demo.omnitron.akinon.net',
  'omnitron.username': 'integrator',
  'omnitron.password': '',
};
const ERP_PARAMETERS = {
  'erp.url': 'https://erp.example.com',
  'erp.username': '',
  'erp.password': '',
};

/** The templates' credentials: stored sealed, never shown, exported empty. */
const OMNITRON_SECRETS = ['omnitron.password'];
const ERP_SECRETS = ['erp.password'];

const event = { strategy: 'event' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
const timer = (concurrentTasks = 1) => ({ strategy: 'timer' as const, period: '0 sec', concurrentTasks, penaltyDuration: '30 sec', yieldDuration: '1 sec' });

/** Steps left to right, as the handles are (inputs on the left, relationships on the right). */
const step = (i: number) => ({ x: 80 + i * 320, y: 120 });

function login(withErp: boolean) {
  return {
    id: 'login',
    type: 'IntegratorLogin',
    name: 'Login',
    position: step(0),
    // The entry step: runs when a trigger, a schedule or an outbound batch hands it a FlowFile.
    scheduling: event,
    properties: {
      'Omnitron Domain URL': '#{omnitron.url}',
      'Omnitron Username': '#{omnitron.username}',
      'Omnitron Password': '#{omnitron.password}',
      ...(withErp
        ? { 'ERP Auth Type': 'jwt', 'ERP Login URL': '#{erp.url}/auth/token', 'ERP Username': '#{erp.username}', 'ERP Password': '#{erp.password}' }
        : {}),
    },
    autoTerminated: ['failure'],
  };
}

function script(i: number) {
  return {
    id: 'script',
    type: 'ExecuteScript',
    name: 'Script',
    position: step(i),
    scheduling: timer(2),
    properties: { 'Script Engine': 'python', 'Script Body': BASE_PYTHON_SCRIPT },
    autoTerminated: ['failure'],
  };
}

function mapping(i: number, spec: string) {
  return {
    id: 'mapping',
    type: 'JoltTransformJSON',
    name: 'Mapping',
    position: step(i),
    scheduling: timer(2),
    // An empty mapping result fails the execution with a reason, rather than sending `null` on as NiFi would.
    properties: { 'Jolt Specification': spec, 'Empty Output Policy': 'route to failure' },
    autoTerminated: ['failure'],
  };
}

function chain(ids: string[]) {
  return ids.slice(1).map((target, i) => ({ id: `${ids[i]}-to-${target}`, sourceId: ids[i]!, relationships: ['success'], targetId: target }));
}

function writeStock(i: number) {
  return {
    id: 'write',
    type: 'WriteOmnitronStock',
    name: 'Write Stock to Omnitron',
    position: step(i),
    scheduling: timer(2),
    properties: { 'Stock List ID': '#{omnitron.stock.list}' },
    autoTerminated: ['success', 'failure'],
  };
}

function writeImages(i: number) {
  return {
    id: 'write',
    type: 'WriteOmnitronImages',
    name: 'Write Images to Omnitron',
    position: step(i),
    scheduling: timer(2),
    properties: { 'Filename Template': '{sku}' },
    autoTerminated: ['success', 'failure'],
  };
}

function readErp(i: number, path: string, stock: boolean) {
  return {
    id: 'read',
    type: 'ReadErpData',
    name: 'Read Data From ERP',
    position: step(i),
    scheduling: timer(2),
    properties: {
      'Endpoint URL': `#{erp.url}${path}`,
      'SKU Key': 'sku',
      'Modified Date Key': 'modified_date__gt',
      ...(stock ? { 'Stock List Key': 'stock_list', 'Stock List ID': '#{omnitron.stock.list}' } : {}),
      Pagination: 'offset',
      'Page Size': '500',
    },
    autoTerminated: ['failure'],
  };
}

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  {
    id: 'stock-inbound',
    name: 'Stock Flow (inbound)',
    description: 'Every 5 minutes: log in, read stock changed since the last successful run from the ERP (offset pages), run the base script and the example mapping, write to an Omnitron stock list with a log per row.',
    kind: 'stock',
    direction: 'inbound',
    build: () => ({
      name: 'Stock Flow',
      description: 'Reads stock from the ERP and writes it to Omnitron.',
      parameters: { ...OMNITRON_PARAMETERS, ...ERP_PARAMETERS, 'omnitron.stock.list': '1' },
      sensitiveParameters: [...OMNITRON_SECRETS, ...ERP_SECRETS],
      processors: [login(true), readErp(1, '/api/stock', true), script(2), mapping(3, STOCK_MAPPING_SPEC), writeStock(4)],
      connections: chain(['login', 'read', 'script', 'mapping', 'write']),
      integration: { kind: 'stock', direction: 'inbound', schedule: { type: 'every', value: '5 mins' }, entryProcessorId: 'login' },
    }),
  },
  {
    id: 'stock-outbound',
    name: 'Stock Flow (outbound)',
    description: 'The ERP POSTs batches of stock rows (up to 5000 per request) to the flow; each batch is written to Omnitron with a log per row.',
    kind: 'stock',
    direction: 'outbound',
    build: () => ({
      name: 'Stock Flow (outbound)',
      description: 'Receives stock batches from the ERP and writes them to Omnitron.',
      parameters: { ...OMNITRON_PARAMETERS, 'omnitron.stock.list': '1' },
      sensitiveParameters: OMNITRON_SECRETS,
      processors: [login(false), writeStock(1)],
      connections: chain(['login', 'write']),
      integration: { kind: 'stock', direction: 'outbound', entryProcessorId: 'login' },
    }),
  },
  {
    id: 'image-inbound',
    name: 'Image Flow (inbound)',
    description: 'Every 15 minutes: log in, read image rows changed since the last successful run from the ERP, map them to Omnitron fields and write each product\u2019s images with a log per row.',
    kind: 'image',
    direction: 'inbound',
    build: () => ({
      name: 'Image Flow',
      description: 'Reads product images from the ERP and writes them to Omnitron.',
      parameters: { ...OMNITRON_PARAMETERS, ...ERP_PARAMETERS },
      sensitiveParameters: [...OMNITRON_SECRETS, ...ERP_SECRETS],
      processors: [login(true), readErp(1, '/api/images', false), mapping(2, IMAGE_MAPPING_SPEC), writeImages(3)],
      connections: chain(['login', 'read', 'mapping', 'write']),
      integration: { kind: 'image', direction: 'inbound', schedule: { type: 'every', value: '15 mins' }, entryProcessorId: 'login' },
    }),
  },
  {
    id: 'image-outbound',
    name: 'Image Flow (outbound)',
    description: 'The ERP POSTs batches of {product_sku, images: [{url, order}]} to the flow; each product\u2019s images are written to Omnitron.',
    kind: 'image',
    direction: 'outbound',
    build: () => ({
      name: 'Image Flow (outbound)',
      description: 'Receives image batches from the ERP and writes them to Omnitron.',
      parameters: { ...OMNITRON_PARAMETERS },
      sensitiveParameters: OMNITRON_SECRETS,
      processors: [login(false), writeImages(1)],
      connections: chain(['login', 'write']),
      integration: { kind: 'image', direction: 'outbound', entryProcessorId: 'login' },
    }),
  },
];

export function findTemplate(id: string): FlowTemplate | undefined {
  return FLOW_TEMPLATES.find((t) => t.id === id);
}
