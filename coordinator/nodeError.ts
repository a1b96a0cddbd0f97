/** A run over worker nodes that failed: which node, at which chunk, and why. */
export class NodeError extends Error {
  override readonly name = 'NodeError';
  constructor(
    readonly node: string,
    readonly chunk: number,
    message: string,
  ) {
    super(message);
  }
}
