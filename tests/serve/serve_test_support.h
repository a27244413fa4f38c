// What the serve tests share: models built in code, a temporary workspace with
// models in the registry, a small blocking HTTP/1.1 client over a plain
// socket, and a strict parser for the Prometheus text format.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/runtime/model.h"

namespace cairn::serve::testing {

// X float32[N, 3] (features a, b, c by metadata) -> scores = X W + B ->
// "label" int64[N] (arg-max) and "probabilities" float32[N, 2] (softmax).
// `flip` swaps the classes' weights, so the two models disagree on every row
// whose scores differ.
runtime::Model MatrixClassifier(bool flip = false);
// The same classifier with one input per feature: a, b, c float32[N, 1].
runtime::Model ColumnClassifier();
std::string Serialize(const runtime::Model& model);
// The label MatrixClassifier(flip) gives the row (a, b, c).
int64_t ExpectedLabel(double a, double b, double c, bool flip = false);

class TestWorkspace {
 public:
  TestWorkspace();
  ~TestWorkspace();
  const std::filesystem::path& dir() const { return dir_; }
  artifacts::WorkspaceOptions options() const;
  // A fresh connection each time: callers may be on any thread.
  std::unique_ptr<artifacts::Workspace> Open() const;
  int64_t Register(const std::string& name, const std::string& bytes);
  void SetAlias(const std::string& name, const std::string& alias, int64_t version);
  std::filesystem::path WriteFile(const std::string& name, const std::string& bytes) const;

 private:
  std::filesystem::path dir_;
};

struct HttpResult {
  int status = 0;  // 0 when the connection failed or closed early
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const;
};

// One keep-alive connection to 127.0.0.1:port; reconnects when the server closed it.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, int timeout_ms = 10000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Request(const std::string& method, const std::string& target, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult PostJson(const std::string& target, const std::string& body,
                      std::map<std::string, std::string> headers = {});
  HttpResult Get(const std::string& target, const std::map<std::string, std::string>& headers = {});
  // Sends raw bytes and reads one response (or until the server closes).
  HttpResult Raw(const std::string& bytes);
  bool Connect();
  void Close();
  int fd() const { return fd_; }

 private:
  HttpResult ReadResponse();

  uint16_t port_;
  int timeout_ms_;
  int fd_ = -1;
  std::string buffer_;
};

// True when nothing listens on 127.0.0.1:port.
bool PortIsFree(uint16_t port);

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};
struct PromFamily {
  std::string name;
  std::string type;
  std::string help;
  std::vector<PromSample> samples;
};
// Parses the Prometheus text format strictly: HELP and TYPE before a family's
// samples, one TYPE per family, valid metric and label names, quoted and
// escaped label values, parseable values, sample names that belong to their
// family (_bucket/_sum/_count for histograms), histogram buckets cumulative
// and ending in le="+Inf" equal to _count. Returns "" or the first problem.
std::string ParsePrometheus(const std::string& text, std::map<std::string, PromFamily>& families);

// Sum of a family's samples named `sample` whose labels include `match`.
double SumSamples(const std::map<std::string, PromFamily>& families, const std::string& family,
                  const std::string& sample, const std::map<std::string, std::string>& match = {});

// The body of a one-row MLflow dataframe_split request for (a, b, c).
std::string SplitBody(double a, double b, double c, const std::string& key = "");

}  // namespace cairn::serve::testing
