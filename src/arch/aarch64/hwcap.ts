// AT_HWCAP / AT_HWCAP2: exactly what this front-end implements (Linux arch/arm64 uapi hwcap.h).
export const HWCAP_FP = 1n << 0n;
export const HWCAP_ASIMD = 1n << 1n;
export const HWCAP_EVTSTRM = 1n << 2n;
export const HWCAP_ATOMICS = 1n << 8n;
export const HWCAP_LRCPC = 1n << 15n;
export const HWCAP_DCPOP = 1n << 16n;
export const HWCAP_ILRCPC = 1n << 26n;

/** FP, Advanced SIMD, LSE atomics, LDAPR (LRCPC), LDAPUR/STLUR (ILRCPC), DC CVAP (DCPOP). Not
 *  CPUID (MRS of ID registers is not emulated), nor FP16, dot product, crypto, CRC32, PAC, BTI. */
export const HWCAP = HWCAP_FP | HWCAP_ASIMD | HWCAP_ATOMICS | HWCAP_LRCPC | HWCAP_DCPOP | HWCAP_ILRCPC;
export const HWCAP2 = 0n;
