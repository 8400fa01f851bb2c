// libBigWig (Debian libbigwig-dev, no pkg-config file): local files only, so the curl headers
// (remote access) are not needed to build against it.
#define NOCURL 1
#include <bigWig.h>
