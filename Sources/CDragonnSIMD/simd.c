// Header-only: SwiftPM needs one source file to build the target.
#include "dragonn_simd.h"
