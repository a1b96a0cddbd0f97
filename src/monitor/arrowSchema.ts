/**
 * The columns of spikegrid's Arrow files, in long form as SONATA and NEST users expect:
 * spikes (`step`, `time_ms`, `population`, `neuron`) and traces (… `variable`, `value`).
 * Population and variable names are dictionary-encoded; schema metadata says what run made them.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dictionary, Int32, Schema, Utf8, Vector } from 'apache-arrow';
import type { NetworkDescription } from '../ir/description.ts';
import { arrow } from './arrowLibrary.ts';
import { packageVersion, spikegridVersion } from '../version.ts';

/** Dictionary ids of the name columns. */
const POPULATION_DICTIONARY = 0;
const VARIABLE_DICTIONARY = 1;

/** The type of a column of names, dictionary-encoded. */
function namesType(dictionaryId: number): Dictionary<Utf8, Int32> {
  const { Dictionary, Int32, Utf8 } = arrow();
  return new Dictionary(new Utf8(), new Int32(), dictionaryId);
}

export function dictionary(names: readonly string[]): Vector<Utf8> {
  const { Utf8, vectorFromArray } = arrow();
  return vectorFromArray(names as string[], new Utf8());
}

const arrowVersion = packageVersion(join(dirname(createRequire(import.meta.url).resolve('apache-arrow')), 'package.json'));

/** SHA-256 of the checked description's JSON: the same network and settings give the same digest. */
export function descriptionDigest(description: NetworkDescription): string {
  return createHash('sha256').update(JSON.stringify(description)).digest('hex');
}

/**
 * What the files record about their run. The worker count is left out on purpose: the files are
 * the same bytes whichever number of workers produced them (run.json has it).
 */
export function runMetadata(description: NetworkDescription): Map<string, string> {
  return new Map([
    ['seed', String(description.seed)],
    ['dt_ms', String(description.dt)],
    ['description_sha256', descriptionDigest(description)],
    ['spikegrid_version', spikegridVersion],
    ['apache_arrow_version', arrowVersion],
  ]);
}

export function spikeSchema(metadata: Map<string, string>): Schema {
  const { Field, Float64, Int64, Schema, Uint32 } = arrow();
  return new Schema(
    [
      new Field('step', new Int64(), false),
      new Field('time_ms', new Float64(), false),
      new Field('population', namesType(POPULATION_DICTIONARY), false),
      new Field('neuron', new Uint32(), false),
    ],
    metadata,
  );
}

export function traceSchema(metadata: Map<string, string>): Schema {
  const { Field, Float64, Int64, Schema, Uint32 } = arrow();
  return new Schema(
    [
      new Field('step', new Int64(), false),
      new Field('time_ms', new Float64(), false),
      new Field('population', namesType(POPULATION_DICTIONARY), false),
      new Field('neuron', new Uint32(), false),
      new Field('variable', namesType(VARIABLE_DICTIONARY), false),
      new Field('value', new Float64(), false),
    ],
    metadata,
  );
}
