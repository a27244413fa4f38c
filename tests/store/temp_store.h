// A fresh folder per test for store files, removed afterwards.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "cairn/core/ids.h"
#include "cairn/store/store.h"

namespace cairn::store::testing {

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("cairn-store-test-" + NewId())) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string db() const { return (path_ / "cairn.db").string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace cairn::store::testing
