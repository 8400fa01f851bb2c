// libdeflate (Debian libdeflate-dev, which libhts-dev already pulls in): whole-buffer deflate for
// the bigWig writer's blocks, about 2.5x zlib's speed on a track's float values at the same size.
#include <libdeflate.h>
