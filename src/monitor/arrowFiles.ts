/**
 * Arrow IPC files written and read synchronously, a batch at a time, so memory stays bounded: a
 * byte sink that writes straight to a file descriptor, and a reader that pulls a stream file in
 * slices.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import type { AsyncByteQueue, RecordBatch, Schema } from 'apache-arrow';
import { OutputError } from '../errors.ts';
import { arrow } from './arrowLibrary.ts';

/** The writer's byte queue, turned into synchronous writes to a file (a class made once Arrow is loaded). */
let FileSink: (new (fd: number, path: string, kept: string) => AsyncByteQueue) | undefined;

function fileSinkClass(): new (fd: number, path: string, kept: string) => AsyncByteQueue {
  return (FileSink ??= class extends arrow().AsyncByteQueue {
    constructor(
      private readonly fd: number,
      private readonly path: string,
      private readonly kept: string,
    ) {
      super();
    }

    override write(value: Uint8Array): void {
      try {
        // A write may take fewer bytes than it was given (a disk nearly full); the rest follow.
        for (let done = 0; done < value.byteLength;) done += writeSync(this.fd, value, done);
      } catch (error) {
        throw new OutputError(this.path, error as Error, this.kept);
      }
    }
  });
}

/**
 * Opens `path` for an Arrow writer; returns the sink and a function that closes the file. A write
 * that fails throws an `OutputError` that says `kept`: what the user still has.
 */
export function fileSink(path: string, kept: string): { sink: AsyncByteQueue; close: () => void } {
  const Sink = fileSinkClass();
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new OutputError(path, error as Error, kept);
  }
  return { sink: new Sink(fd, path, kept), close: () => closeSync(fd) };
}

/** The record batches of an Arrow IPC stream or file, read in 1 MiB slices. */
export function* streamBatches(path: string): Generator<RecordBatch> {
  const fd = openSync(path, 'r');
  try {
    const slices = function* () {
      const buffer = new Uint8Array(1 << 20);
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) yield buffer.slice(0, n);
    };
    yield* arrow().RecordBatchReader.from(slices());
  } finally {
    closeSync(fd);
  }
}

/** Rewrites an IPC stream file as an IPC file (the form `pd.read_feather` opens), batch by batch. */
export function streamToFile(streamPath: string, filePath: string, schema: Schema): void {
  const partial = `${filePath}.partial`;
  const { sink, close } = fileSink(partial, `every batch of the run is in ${streamPath}`);
  try {
    const writer = new (arrow().RecordBatchFileWriter)();
    writer.reset(sink, schema);
    for (const batch of streamBatches(streamPath)) writer.write(batch);
    writer.finish();
  } catch (error) {
    // The stream still holds everything: give back the space the copy took.
    close();
    rmSync(partial, { force: true });
    throw error;
  }
  close();
  renameSync(partial, filePath);
  unlinkSync(streamPath);
}
