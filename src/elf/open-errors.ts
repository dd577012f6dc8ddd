// Linux's strerror text for the errors that opening a file for exec can give, keyed by the `.code`
// that Node and the VFS put on their errors.

const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EIO: 'Input/output error',
};

/** The error's code ('ENOENT'), if it has one. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** "No such file or directory" for an ENOENT error; the bare code for others; undefined if the
 *  error has no code (then it is not a file error and should propagate). */
export function openErrorText(e: unknown): string | undefined {
  const code = errorCode(e);
  return code === undefined ? undefined : (OPEN_ERRORS[code] ?? code);
}
