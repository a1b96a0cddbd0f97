import type { Platform } from '../ir/description.ts';
import { ModelError } from '../errors.ts';
import { show } from '../ir/checks.ts';

let defaultPlatform: Platform = 'cpu';

/**
 * Chooses the device for networks built from now on ('cpu', 'gpu' or 'apu'). It is written into the
 * description when a network is built, never read during a run; a platform this build cannot run
 * is refused when the run starts, with a message saying so.
 */
export function setPlatform(platform: Platform): void {
  if (platform !== 'cpu' && platform !== 'gpu' && platform !== 'apu') {
    throw new ModelError('INVALID_VALUE', `setPlatform: platform must be 'cpu', 'gpu' or 'apu', got ${show(platform)}`);
  }
  defaultPlatform = platform;
}

export function currentPlatform(): Platform {
  return defaultPlatform;
}
