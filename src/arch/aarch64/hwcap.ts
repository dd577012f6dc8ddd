// AT_HWCAP / AT_HWCAP2: exactly what this front-end implements (Linux arch/arm64 uapi hwcap.h).
export const HWCAP_FP = 1n << 0n;
export const HWCAP_ASIMD = 1n << 1n;
export const HWCAP_EVTSTRM = 1n << 2n;
export const HWCAP_AES = 1n << 3n;
export const HWCAP_PMULL = 1n << 4n;
export const HWCAP_SHA1 = 1n << 5n;
export const HWCAP_SHA2 = 1n << 6n;
export const HWCAP_CRC32 = 1n << 7n;
export const HWCAP_ATOMICS = 1n << 8n;
export const HWCAP_ASIMDRDM = 1n << 12n;
export const HWCAP_JSCVT = 1n << 13n;
export const HWCAP_LRCPC = 1n << 15n;
export const HWCAP_DCPOP = 1n << 16n;
export const HWCAP_SHA3 = 1n << 17n;
export const HWCAP_ASIMDDP = 1n << 20n;
export const HWCAP_SHA512 = 1n << 21n;
export const HWCAP_ILRCPC = 1n << 26n;
export const HWCAP_FLAGM = 1n << 27n;
export const HWCAP_SB = 1n << 29n;
export const HWCAP2_FLAGM2 = 1n << 7n;
export const HWCAP2_FRINT = 1n << 8n;
export const HWCAP2_I8MM = 1n << 13n;

/** FP, Advanced SIMD, CRC32, LSE atomics, LDAPR (LRCPC), LDAPUR/STLUR (ILRCPC), DC CVAP (DCPOP);
 *  AES, PMULL (64-bit), SHA1, SHA256 (crypto.ts), SHA3 and SHA512 (crypto-sha3.ts); SQRDMLAH/
 *  SQRDMLSH (RDM) and SDOT/UDOT (dot product, simd-dot.ts); FJCVTZS (fp-jscvt.ts); CFINV, RMIF,
 *  SETF8/16 (FlagM) and SB (flagm.ts). Not CPUID (MRS of ID registers is not emulated), nor FP16,
 *  SM3/SM4, FCMA, FHM, BF16, PAC, BTI. */
export const HWCAP =
  HWCAP_FP | HWCAP_ASIMD | HWCAP_AES | HWCAP_PMULL | HWCAP_SHA1 | HWCAP_SHA2 | HWCAP_CRC32 | HWCAP_ATOMICS |
  HWCAP_ASIMDRDM | HWCAP_JSCVT | HWCAP_LRCPC | HWCAP_DCPOP | HWCAP_SHA3 | HWCAP_ASIMDDP | HWCAP_SHA512 | HWCAP_ILRCPC |
  HWCAP_FLAGM | HWCAP_SB;
/** AXFLAG/XAFLAG (flagm.ts); FRINT32Z/X, FRINT64Z/X (fp-jscvt.ts); USDOT/SUDOT, SMMLA/UMMLA/
 *  USMMLA (simd-dot.ts). */
export const HWCAP2 = HWCAP2_FLAGM2 | HWCAP2_FRINT | HWCAP2_I8MM;
