/* entry.c - the process entry point; everything else is in harness_main(). */
#include "harness.h"

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
