/** Checks the HOST:PORT addresses of `--listen` and `--nodes` before gRPC sees them. */
import { ModelError } from '../errors.ts';

/**
 * Throws unless `address` is HOST:PORT (an IPv6 host in brackets, `[::1]:7070`) with a whole port
 * below 65536, from 1, or from 0 where `anyPort` lets the system pick one.
 */
export function checkHostPort(address: string, setting: string, anyPort = false): void {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d+)$/.exec(address);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535 || port < (anyPort ? 0 : 1)) {
    const ports = anyPort ? '0 (any free port) to 65535' : '1 to 65535';
    throw new ModelError('INVALID_VALUE', `${setting} ${JSON.stringify(address)} is not HOST:PORT with a port from ${ports}, e.g. 127.0.0.1:7070`);
  }
}
