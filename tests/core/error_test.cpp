#include "cairn/core/error.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(Error, CarriesCodeAndMessage) {
  try {
    ThrowConflict("param 'lr' already set");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_STREQ(e.what(), "param 'lr' already set");
  }
}

TEST(Error, CodeNamesAreStableSnakeCase) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidInput), "invalid_input");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kCorrupt), "corrupt");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kIo), "io");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnsupported), "unsupported");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kPermissionDenied), "permission_denied");
}

}  // namespace
}  // namespace cairn
