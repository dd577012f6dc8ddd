// Value types that say what a number is. Brands cost nothing at run time.

/** An address in the guest's address space (always below 4 GiB, see DESIGN.md). */
export type GuestAddr = number & { readonly __brand?: 'GuestAddr' };
/** A file descriptor of the host (Node) process. */
export type HostFd = number & { readonly __brand?: 'HostFd' };
/** A file descriptor number as the guest sees it. */
export type GuestFd = number & { readonly __brand?: 'GuestFd' };

/** Thrown for an internal invariant that does not hold: a crossrun bug, never bad input. */
export class AssertionError extends Error {}
export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new AssertionError(`crossrun internal error: ${msg}`);
}

/** Bad input from the user (file, flags): printed as one line, then exit 1. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
