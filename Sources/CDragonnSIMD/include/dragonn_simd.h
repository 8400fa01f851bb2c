// Two-vector shuffles of 8 floats for the kernels' register transposes. Swift has no shuffle
// operation: built lane by lane, a shuffle is only sometimes folded back into one instruction,
// and inside a large loop it often becomes a chain of inserts and blends. Each function here is
// one `__builtin_shufflevector`, which LLVM lowers to a single AVX instruction (unpcklps,
// shufps, vperm2f128) on x86 and to the target's own permutes elsewhere. The vector type is
// imported by Swift as SIMD8<Float>.
#ifndef DRAGONN_SIMD_H
#define DRAGONN_SIMD_H

typedef float dragonn_float8 __attribute__((ext_vector_type(8)));

#define DRAGONN_SHUFFLE static inline __attribute__((always_inline)) dragonn_float8

/// (a0 b0 a1 b1 | a4 b4 a5 b5): pairs interleaved within each 128-bit half (unpcklps).
DRAGONN_SHUFFLE dragonn_interleave_low(dragonn_float8 a, dragonn_float8 b) {
    return __builtin_shufflevector(a, b, 0, 8, 1, 9, 4, 12, 5, 13);
}
/// (a2 b2 a3 b3 | a6 b6 a7 b7) (unpckhps).
DRAGONN_SHUFFLE dragonn_interleave_high(dragonn_float8 a, dragonn_float8 b) {
    return __builtin_shufflevector(a, b, 2, 10, 3, 11, 6, 14, 7, 15);
}
/// (a0 a1 b0 b1 | a4 a5 b4 b5): the first pair of each half of a, then of b (shufps 0x44).
DRAGONN_SHUFFLE dragonn_pairs_low(dragonn_float8 a, dragonn_float8 b) {
    return __builtin_shufflevector(a, b, 0, 1, 8, 9, 4, 5, 12, 13);
}
/// (a2 a3 b2 b3 | a6 a7 b6 b7) (shufps 0xEE).
DRAGONN_SHUFFLE dragonn_pairs_high(dragonn_float8 a, dragonn_float8 b) {
    return __builtin_shufflevector(a, b, 2, 3, 10, 11, 6, 7, 14, 15);
}
/// (a0 a1 a2 a3 | b0 b1 b2 b3): the low halves of a and b (vperm2f128 0x20).
DRAGONN_SHUFFLE dragonn_halves_low(dragonn_float8 a, dragonn_float8 b) {
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11);
}
/// (a4 a5 a6 a7 | b4 b5 b6 b7): the high halves of a and b (vperm2f128 0x31).
DRAGONN_SHUFFLE dragonn_halves_high(dragonn_float8 a, dragonn_float8 b) {
    return __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
}

#endif
