#ifndef DRAGONN_CHTSLIB_SHIM_H
#define DRAGONN_CHTSLIB_SHIM_H
#include <htslib/hts.h>
#include <htslib/hfile.h>
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/tbx.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <zlib.h>
#endif
