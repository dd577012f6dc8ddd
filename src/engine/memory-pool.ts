// Spare address spaces: a process that ends or execs leaves its memory here (emptied) for the next
// fork or execve. Allocating a 4 GiB WebAssembly.Memory takes milliseconds, and dropping many of
// them keeps the garbage collector busy (a shell running commands in a loop spent most of its time
// there); reusing one costs only zeroing what the last process touched.
import { AddressSpace } from '../mem/address-space.js';

const MAX_SPARE = 4;
const spare: AddressSpace[] = [];

/** An empty address space: a recycled one if there is one. */
export function takeSpace(): AddressSpace {
  return spare.pop() ?? new AddressSpace();
}

/** mem is no longer used by anyone: keep it (emptied) for reuse, or let it go. */
export function giveSpace(mem: AddressSpace): void {
  if (spare.length >= MAX_SPARE || spare.includes(mem)) return;
  mem.reset();
  spare.push(mem);
}
