/** A chain or operation spec that Jolt would refuse to build. `path` points inside the chain spec. */
export class JoltSpecError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'JoltSpecError';
    this.path = path;
  }
}

/** A failure while a compiled chain runs (Jolt's TransformException and its real crashes). */
export class JoltTransformError extends Error {
  readonly path?: string;
  constructor(message: string, path?: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'JoltTransformError';
    if (path !== undefined) this.path = path;
  }
}

export interface JoltWarning {
  readonly kind: 'unmatched-input' | 'unmatched-spec';
  readonly operationIndex: number;
  readonly path: string;
  readonly message: string;
}
