import type { ConnectionRule } from './description.ts';

/**
 * How many connections a rule makes when that is fixed before drawing, which is when a
 * per-connection array of weights or delays has a defined order (see `connectionOrder` in the
 * engine); `undefined` for rules that draw their connections at random.
 */
export function connectionCount(conn: ConnectionRule, nPre: number, nPost: number, samePopulation: boolean): number | undefined {
  if ('One2One' in conn) return nPre;
  if ('All2All' in conn) return nPre * nPost - (samePopulation && !conn.All2All.allow_self ? nPre : 0);
  if ('CustomConn' in conn) return conn.CustomConn.pre.length;
  return undefined;
}
