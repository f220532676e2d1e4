// The doctest main of replay_tests, the unit tests of tools/replay.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
