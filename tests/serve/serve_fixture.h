// A registry with two versions of "credit" (version 2 flips version 1's
// answers) and helpers to start in-process servers on a free port.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "cairn/serve/server.h"
#include "cairn/store/store.h"
#include "serve_test_support.h"

namespace cairn::serve::testing {

class ServeFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    v1_ = workspace_.Register("credit", Serialize(MatrixClassifier(false)));
    v2_ = workspace_.Register("credit", Serialize(MatrixClassifier(true)));
    workspace_.SetAlias("credit", "champion", v1_);
  }

  ServeOptions Options(const std::string& model = "credit@champion") const {
    ServeOptions options;
    options.model = model;
    options.port = 0;  // the kernel picks a free port; the test reads it back
    options.threads = 2;
    options.poll_interval = std::chrono::milliseconds(0);
    options.workspace = workspace_.options();
    options.log_options.flush_interval = std::chrono::milliseconds(20);
    return options;
  }

  std::unique_ptr<Server> Start(const ServeOptions& options) {
    auto server = std::make_unique<Server>(options);
    server->Start();
    EXPECT_FALSE(PortIsFree(server->port())) << "the server should be listening on " << server->port();
    return server;
  }

  std::unique_ptr<store::Store> OpenStore() const { return std::make_unique<store::Store>(workspace_.Open()->store_uri()); }

  TestWorkspace workspace_;
  int64_t v1_ = 0;
  int64_t v2_ = 0;
};

}  // namespace cairn::serve::testing
