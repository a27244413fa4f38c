#include "cairn/core/source_info.h"

#include <cstdio>

#include "cairn/core/text.h"

namespace cairn {
namespace {

// Runs a git command and returns its trimmed stdout, or nullopt-like "" with ok=false on failure.
bool RunGit(const std::filesystem::path& dir, const std::string& args, std::string& out) {
  std::string dir_text = dir.string();
  // Quote for the shell: single quotes, with embedded ones escaped.
  std::string quoted = "'";
  for (char c : dir_text) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  std::string command = "git -C " + quoted + " " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  int status = ::pclose(pipe);
  out = std::string(Trim(text));
  return status == 0;
}

}  // namespace

SourceInfo CaptureSource(const std::filesystem::path& dir) {
  SourceInfo info;
  std::string out;
  if (!RunGit(dir, "rev-parse --is-inside-work-tree", out) || out != "true") return info;
  info.in_git = true;
  if (RunGit(dir, "rev-parse HEAD", out)) info.commit = out;
  if (RunGit(dir, "symbolic-ref --short -q HEAD", out)) info.branch = out;
  if (RunGit(dir, "status --porcelain --untracked-files=no", out)) info.dirty = !out.empty();
  return info;
}

}  // namespace cairn
