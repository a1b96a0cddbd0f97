/**
 * Base of everything a network's `setup()` creates. Objects are numbered in creation order; when a
 * network is described, each gets the name the user gave or `<ClassName>_<k>`, k counting objects
 * of that class in creation order, as NeurAI names them.
 */
let created = 0;

export abstract class NetworkObject {
  /** Creation order across the process; only its order matters. */
  readonly serial = created++;
  /** The user's name, if given. */
  readonly givenName: string | undefined;

  constructor(name: string | undefined) {
    this.givenName = name;
  }

  /** The class name used for default names (`ExpLIF`, `StaticSynapse`, …). */
  abstract get kind(): string;
}
