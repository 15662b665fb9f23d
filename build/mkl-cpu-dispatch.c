/*
 * Preloaded by build/native-env.sh on x86-64 CPUs that are not Intel's (see there).
 *
 * MKL, which libtorch links in for its float GEMMs, asks this function whether the CPU is an Intel one and, when it
 * is not, runs its generic kernels whatever the CPU supports: on an AVX-512 AMD EPYC that is its AVX2-class "zen"
 * SGEMM. Answering yes makes MKL choose its kernels by the CPU's feature flags alone, as it does on Intel CPUs, so an
 * AVX-512 CPU gets the AVX-512 kernels and an AVX2-only one the AVX2 kernels. The arithmetic is the same BLAS
 * contract; only the kernel (and so the order of the float additions) changes.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
