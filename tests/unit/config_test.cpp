#include <gtest/gtest.h>
#include "agent/configuration.hpp"
TEST(Config, Placeholder) { EXPECT_TRUE(mwx::configuration_from_text("", "x").ok()); }
