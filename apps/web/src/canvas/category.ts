const ICONS: Record<string, string> = {
  source: '⇥',
  transform: '⟲',
  routing: '⑂',
  http: '⇄',
  script: '{}',
  integrator: '⚙',
  utility: '◆',
};

export const categoryIcon = (category: string | undefined) => ICONS[category ?? 'utility'] ?? '◆';

export const CATEGORY_ORDER = ['source', 'transform', 'routing', 'http', 'script', 'integrator', 'utility'];
export const CATEGORY_LABEL: Record<string, string> = {
  source: 'Sources',
  transform: 'Transform',
  routing: 'Routing',
  http: 'HTTP',
  script: 'Scripting',
  integrator: 'Integrator',
  utility: 'Utility',
};
