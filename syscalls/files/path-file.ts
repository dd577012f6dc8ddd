// An O_PATH descriptor: names a file for *at calls and fstat, but cannot be read or written.
import { S_IF, S_IFMT } from '../abi/common.js';
import { fail } from '../errors.js';
import type { VfsStat } from '../vfs.js';
import { FileDescription } from './description.js';

export class PathFile extends FileDescription {
  constructor(path: string, private readonly statFn: () => VfsStat, statusFlags: number) {
    super(path, false, false, statusFlags);
  }
  override read(): number {
    return fail('EBADF');
  }
  override write(): number {
    return fail('EBADF');
  }
  override seek(): number {
    return fail('EBADF');
  }
  override stat(): VfsStat {
    return this.statFn();
  }
  override isDirectory(): boolean {
    return (this.statFn().mode & S_IFMT) === S_IF.DIR;
  }
}
