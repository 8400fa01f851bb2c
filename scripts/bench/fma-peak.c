/* The machine's fp32 FMA peak as the bench measures it: every core runs independent chains of
 * fused multiply-adds on the widest vectors the build targets (AVX-512 where compiled with it,
 * else AVX2+FMA 256-bit, else plain scalar code the compiler vectorises) for a fixed time, and
 * the sum over cores is printed in GFLOP/s (one FMA = 2 FLOP per lane), each core's rate taken
 * over its thread's CPU time.
 * Usage: fma-peak [threads] [seconds]    (defaults: all online cores, 0.5 s)
 * Prints: `fma_peak_gflops<TAB>VALUE<TAB>threads<TAB>vector bits` */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <immintrin.h>

static double seconds_per_thread = 0.5;

/* The thread's own CPU time: on a shared machine the rate per CPU second is the core's peak,
 * whatever share of the wall time the thread got. */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Twelve independent accumulators: enough chains to cover the FMA latency (4-5 cycles) times
 * two FMA pipes on current x86 cores, fewer than the 16 (AVX2) vector registers. */
#if defined(__AVX512F__)
#define BITS 512
typedef __m512 vec;
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define LANES 16
#elif defined(__FMA__) && defined(__AVX__)
#define BITS 256
typedef __m256 vec;
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define LANES 8
#endif

static void *run(void *arg) {
    double *flops = arg;
    double start = now(), done = 0;
#ifdef BITS
    vec a0 = SET1(1.0f), a1 = SET1(1.1f), a2 = SET1(1.2f), a3 = SET1(1.3f), a4 = SET1(1.4f), a5 = SET1(1.5f);
    vec a6 = SET1(1.6f), a7 = SET1(1.7f), a8 = SET1(1.8f), a9 = SET1(1.9f), a10 = SET1(2.0f), a11 = SET1(2.1f);
    const vec m = SET1(0.999999f), c = SET1(1e-7f);
    while (now() - start < seconds_per_thread) {
        for (int i = 0; i < 100000; i++) {
            a0 = FMA(a0, m, c); a1 = FMA(a1, m, c); a2 = FMA(a2, m, c); a3 = FMA(a3, m, c);
            a4 = FMA(a4, m, c); a5 = FMA(a5, m, c); a6 = FMA(a6, m, c); a7 = FMA(a7, m, c);
            a8 = FMA(a8, m, c); a9 = FMA(a9, m, c); a10 = FMA(a10, m, c); a11 = FMA(a11, m, c);
        }
        done += 100000.0 * 12 * LANES * 2;
    }
    /* Keep the results alive so the loop is not removed. */
    float sink[LANES * 12];
    vec all[12] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11};
    for (int i = 0; i < 12; i++) __builtin_memcpy(sink + i * LANES, &all[i], sizeof(vec));
    float s = 0;
    for (int i = 0; i < LANES * 12; i++) s += sink[i];
    if (s == 12345.678f) fprintf(stderr, "%f\n", s);
#else
    volatile float x = 1;
    while (now() - start < seconds_per_thread) {
        for (int i = 0; i < 1000000; i++) x = x * 0.999999f + 1e-7f;
        done += 2e6;
    }
#endif
    *flops = done / (now() - start);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (argc > 2) seconds_per_thread = atof(argv[2]);
    if (threads < 1) threads = 1;
    pthread_t *ids = calloc(threads, sizeof *ids);
    double *rates = calloc(threads, sizeof *rates);
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, run, &rates[t]);
    double total = 0;
    for (int t = 0; t < threads; t++) { pthread_join(ids[t], NULL); total += rates[t]; }
#ifdef BITS
    int bits = BITS;
#else
    int bits = 32;
#endif
    printf("fma_peak_gflops\t%.1f\t%d\t%d\n", total / 1e9, threads, bits);
    return 0;
}
