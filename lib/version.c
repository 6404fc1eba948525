/*
 * lib/version.c - the version of the libsift that runs (see
 * sift/version.h).
 */
#include "sift/version.h"

const char *sift_version(void)
{
	return SIFT_VERSION;
}
