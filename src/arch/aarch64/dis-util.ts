// Operand spelling as GNU objdump prints A64: registers (x/w, sp/xzr by context), immediates
// ("#0x1f" hex, or decimal where objdump uses decimal), condition names and their comments.

export const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
/** objdump's second name for a condition (the SVE one), printed as a comment: "// eq = none". */
export const COND_ALT = ['none', 'any', 'hs, nlast', 'lo, ul, last', 'first', 'nfrst', '', '', 'pmore', 'plast', 'tcont', 'tstop', '', '', '', ''];

/** General register r of width sf; 31 is the zero register unless sp. */
export function xr(r: number, sf: number, sp = false): string {
  if (r === 31) return sp ? (sf ? 'sp' : 'wsp') : sf ? 'xzr' : 'wzr';
  return (sf ? 'x' : 'w') + r;
}
export const X = (r: number): string => xr(r, 1);
export const XS = (r: number): string => xr(r, 1, true);
export const W = (r: number): string => xr(r, 0);

export function hex(v: number | bigint): string {
  return '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);
}
export const imm = (v: number | bigint): string => '#' + hex(v);
export const dec = (v: number | bigint): string => '#' + String(v);

/** "mnemonic\toperands". */
export function ins(name: string, ...ops: string[]): string {
  return ops.length === 0 ? name : `${name}\t${ops.join(', ')}`;
}
/** With objdump's condition comment "\t// eq = none" when the condition has a second name. */
export function withCond(text: string, cond: number): string {
  const alt = COND_ALT[cond];
  return alt ? `${text}\t// ${COND[cond]} = ${alt}` : text;
}
/** objdump pads the immediate of a MOV alias to a column before its "// #decimal" comment. */
export function commented(name: string, reg: string, immText: string, comment: string): string {
  return `${name}\t${reg}, ${immText.padEnd(23)}\t// ${comment}`;
}
/** "#0x06": objdump's two-digit spelling of some small fields (prefetch ops, barrier options). */
export const imm2 = (v: number): string => '#0x' + v.toString(16).padStart(2, '0');
/** A pc-relative target as objdump prints it (bare hex, before its " <symbol>"). */
export function target(pc: number, off: number): string {
  return BigInt.asUintN(64, BigInt(pc) + BigInt(off)).toString(16);
}
export function inst(w: number): string {
  return `.inst\t0x${(w >>> 0).toString(16).padStart(8, '0')} ; undefined`;
}
