/**
 * Connection rules, expanded for the targets one partition owns.
 *
 * Every rule is keyed so that a partition draws exactly the connections of its own targets that a
 * single-worker run would draw: rules decided per target use the stream (projection, target);
 * FixedOutDegree uses (projection, source) and FixedTotalNum one stream per projection, and both are
 * replayed in full by each partition, keeping only the connections that land on its targets.
 *
 * `emit(source, target, connectionIndex)` is called in a canonical order: by target for per-target
 * rules, by source for FixedOutDegree, by draw for FixedTotalNum and CustomConn. `connectionIndex`
 * is the position of the connection in the projection's fixed order where one exists (One2One,
 * All2All, CustomConn), which is what a per-connection weight or delay array is indexed by.
 */
import type { ConnectionRule } from '../../ir/description.ts';
import { Purpose, bits32, streamKey } from '../../random/counter.ts';
import { GeometricSkips } from '../../random/geometricSkips.ts';
import { uniformIndex } from '../../random/distributions.ts';

export interface RuleContext {
  readonly seed: number;
  readonly projection: number;
  readonly nPre: number;
  readonly nPost: number;
  /** Whether pre and post are the same population (self-connections are possible). */
  readonly samePopulation: boolean;
  /** Target slice owned here, [start, stop). */
  readonly start: number;
  readonly stop: number;
}

export type Emit = (source: number, target: number, connectionIndex: number) => void;

export function expandRule(rule: ConnectionRule, c: RuleContext, emit: Emit): void {
  if ('One2One' in rule) {
    for (let j = c.start; j < c.stop; j++) emit(j, j, j);
  } else if ('All2All' in rule) {
    const skipSelf = c.samePopulation && rule.All2All.allow_self === false;
    for (let j = c.start; j < c.stop; j++) {
      for (let i = 0; i < c.nPre; i++) {
        if (skipSelf && i === j) continue;
        // Row-major pre × post matrix, self pairs left out when they are not allowed.
        const index = skipSelf ? i * (c.nPost - 1) + (j > i ? j - 1 : j) : i * c.nPost + j;
        emit(i, j, index);
      }
    }
  } else if ('FixedProb' in rule) {
    fixedProb(rule.FixedProb.p, c.samePopulation && rule.FixedProb.allow_self === false, c, emit);
  } else if ('FixedInDegree' in rule) {
    for (let j = c.start; j < c.stop; j++) {
      const { hi, lo } = streamKey(c.seed, Purpose.connect, c.projection, j);
      drawDistinctOrNot(rule.FixedInDegree.degree, c.nPre, rule.FixedInDegree.multi_conn !== false, hi, lo, (i) => emit(i, j, -1));
    }
  } else if ('FixedOutDegree' in rule) {
    for (let i = 0; i < c.nPre; i++) {
      const { hi, lo } = streamKey(c.seed, Purpose.connect, c.projection, i);
      drawDistinctOrNot(rule.FixedOutDegree.degree, c.nPost, rule.FixedOutDegree.multi_conn !== false, hi, lo, (j) => {
        if (j >= c.start && j < c.stop) emit(i, j, -1);
      });
    }
  } else if ('FixedTotalNum' in rule) {
    fixedTotalNum(rule.FixedTotalNum.num, rule.FixedTotalNum.multi_conn !== false, c, emit);
  } else {
    const { pre, post } = rule.CustomConn;
    for (let k = 0; k < pre.length; k++) if (post[k] >= c.start && post[k] < c.stop) emit(pre[k], post[k], k);
  }
}

/** Each pair independently with probability p: geometric skips over the sources of each target. */
function fixedProb(p: number, skipSelf: boolean, c: RuleContext, emit: Emit): void {
  if (p <= 0) return;
  const skips = p < 1 ? new GeometricSkips(p) : null;
  for (let j = c.start; j < c.stop; j++) {
    if (skips === null) {
      for (let i = 0; i < c.nPre; i++) if (!(skipSelf && i === j)) emit(i, j, -1);
      continue;
    }
    const { hi, lo } = streamKey(c.seed, Purpose.connect, c.projection, j);
    let counter = 0;
    for (let i = skips.gap(bits32(hi, lo, counter++)); i < c.nPre; ) {
      if (!(skipSelf && i === j)) emit(i, j, -1);
      i += 1 + skips.gap(bits32(hi, lo, counter++));
    }
  }
}

/**
 * `count` indices in [0, n): with replacement, or distinct (Floyd's algorithm, then in the order
 * drawn) when multapses are not allowed.
 */
function drawDistinctOrNot(count: number, n: number, withReplacement: boolean, hi: number, lo: number, take: (index: number) => void): void {
  if (withReplacement) {
    for (let k = 0; k < count; k++) take(uniformIndex(hi, lo, k, n));
    return;
  }
  const chosen = new Set<number>();
  const order: number[] = [];
  for (let m = n - count, k = 0; m < n; m++, k++) {
    const t = uniformIndex(hi, lo, k, m + 1);
    const pick = chosen.has(t) ? m : t;
    chosen.add(pick);
    order.push(pick);
  }
  for (const index of order) take(index);
}

/** `num` pairs drawn from one stream per projection; without multapses a repeated pair is redrawn. */
function fixedTotalNum(num: number, multapses: boolean, c: RuleContext, emit: Emit): void {
  const { hi, lo } = streamKey(c.seed, Purpose.connect, c.projection, 0);
  const seen = multapses ? null : new Set<number>();
  let counter = 0;
  for (let made = 0; made < num; ) {
    const i = uniformIndex(hi, lo, counter++, c.nPre);
    const j = uniformIndex(hi, lo, counter++, c.nPost);
    if (seen) {
      const pair = i * c.nPost + j;
      if (seen.has(pair)) continue;
      seen.add(pair);
    }
    made++;
    if (j >= c.start && j < c.stop) emit(i, j, -1);
  }
}
