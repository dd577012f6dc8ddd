// statfs and fstatfs (df, stat -f, Python's os.statvfs): the host filesystem's numbers through the
// VFS, in the asm-generic struct statfs. Node does not give the name length, fragment size, fsid or
// mount flags: they are 255, the block size, 0 and ST_VALID.
import { AT } from '../abi/common.js';
import { encode, layout } from '../codec.js';
import { errnoOf } from '../errors.js';
import type { GuestProcess } from '../process.js';
import { STATFS_GENERIC } from '../structs.js';
import type { SyscallTable } from '../syscall-def.js';
import type { VfsStatfs } from '../vfs.js';
import { statPath } from './fs.js';
import { fileOf } from './io.js';

const ST_VALID = 0x20n;
const NAME_MAX = 255n;
/** What a pipe, socket or stdio stream reports: a pseudo filesystem with no blocks. */
const PIPEFS: VfsStatfs = { type: 0x50495045n, bsize: 4096n, blocks: 0n, bfree: 0n, bavail: 0n, files: 0n, ffree: 0n };

function put(p: GuestProcess, buf: bigint, s: VfsStatfs): number {
  const l = layout(STATFS_GENERIC, p.model);
  const at = p.ptr(buf);
  p.output(at, l.size);
  encode(l, p.mem.view, at, {
    f_type: s.type, f_bsize: s.bsize, f_blocks: s.blocks, f_bfree: s.bfree, f_bavail: s.bavail, f_files: s.files,
    f_ffree: s.ffree, f_fsid: [0, 0], f_namelen: NAME_MAX, f_frsize: s.bsize, f_flags: ST_VALID,
  });
  return 0;
}

export const statfsSyscalls: SyscallTable = {
  statfs: {
    args: ['path', 'ptr'],
    run: (p, [path, buf]) => {
      const abs = p.resolve(AT.AT_FDCWD, p.cstring(p.ptr(path)));
      statPath(p, abs, true); // ENOENT, ENOTDIR, ELOOP as stat says them
      return put(p, buf, p.vfs.statfs(abs));
    },
  },
  fstatfs: {
    args: ['fd', 'ptr'],
    run: (p, [fd, buf]) => {
      const f = fileOf(p, fd);
      let s = PIPEFS;
      if (f.path.startsWith('/')) {
        try {
          s = p.vfs.statfs(f.path);
        } catch (e) {
          // the open file's path is gone (unlinked, renamed) or names no host file (stdio)
          if (errnoOf(e) === null) throw e;
        }
      }
      return put(p, buf, s);
    },
  },
};
