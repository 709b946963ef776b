/*
 * oneMKL, inside libtorch_cpu.so, runs its AVX-512 kernels only where mkl_serv_intel_cpu_true() says the CPU is
 * Intel's; on an AMD CPU with AVX-512 it takes slower ones (libtorch's float32 GEMMs ran at 152-161 GFLOP/s instead
 * of 332-398 on a Zen 5 VM, docs/mkl-on-amd.md). Loaded into the process's global scope before MKL's first product
 * (src/Models/Runtime/MklVendorShim.cs), this definition is the one libtorch's call binds to; MKL then picks its
 * kernels from the CPU's instruction flags alone. It contains no MKL code.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
