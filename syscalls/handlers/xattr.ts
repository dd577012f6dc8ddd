// Extended attributes (setxattr … fremovexattr, path, l- and f- forms). Node's fs cannot read or
// write them, so every file looks like one on an xattr-capable filesystem that has none: list is
// empty, get and remove say ENODATA, set says EOPNOTSUPP. Programs that copy attributes (cp -a,
// Python's shutil.copystat) then copy nothing, as they would for a file without any; ENOSYS
// instead makes some of them fail.
import { AT } from '../abi/common.js';
import { fail } from '../errors.js';
import type { GuestProcess } from '../process.js';
import type { SyscallDef, SyscallTable } from '../syscall-def.js';
import { statPath } from './fs.js';
import { fileOf } from './io.js';

/** XATTR_NAME_MAX: longer names are ERANGE. */
const NAME_MAX = 255;
const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;

type Target = 'path' | 'lpath' | 'fd';

/** The file the call names must exist (ENOENT, EBADF …), and the name must be well formed. */
function check(p: GuestProcess, how: Target, target: bigint, namePtr: bigint | null): void {
  if (how === 'fd') fileOf(p, target);
  else statPath(p, p.resolve(AT.AT_FDCWD, p.cstring(p.ptr(target))), how === 'path');
  if (namePtr === null) return;
  const name = p.cstring(p.ptr(namePtr));
  if (name.length === 0 || name.length > NAME_MAX) fail('ERANGE');
}

const first = (how: Target) => (how === 'fd' ? 'fd' : 'path');

function set(how: Target): SyscallDef {
  return {
    args: [first(how), 'ptr', 'ptr', 'ulong', 'int'],
    run: (p, [target, name, , , flags]) => {
      check(p, how, target, name);
      if (p.int(flags) & ~(XATTR_CREATE | XATTR_REPLACE)) fail('EINVAL');
      return fail('EOPNOTSUPP');
    },
  };
}
function get(how: Target): SyscallDef {
  return {
    args: [first(how), 'ptr', 'ptr', 'ulong'],
    run: (p, [target, name]) => {
      check(p, how, target, name);
      return fail('ENODATA');
    },
  };
}
function list(how: Target): SyscallDef {
  return {
    args: [first(how), 'ptr', 'ulong'],
    run: (p, [target]) => {
      check(p, how, target, null);
      return 0;
    },
  };
}
function remove(how: Target): SyscallDef {
  return {
    args: [first(how), 'ptr'],
    run: (p, [target, name]) => {
      check(p, how, target, name);
      return fail('ENODATA');
    },
  };
}

export const xattrSyscalls: SyscallTable = {
  setxattr: set('path'), lsetxattr: set('lpath'), fsetxattr: set('fd'),
  getxattr: get('path'), lgetxattr: get('lpath'), fgetxattr: get('fd'),
  listxattr: list('path'), llistxattr: list('lpath'), flistxattr: list('fd'),
  removexattr: remove('path'), lremovexattr: remove('lpath'), fremovexattr: remove('fd'),
};
