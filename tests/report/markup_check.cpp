#include "markup_check.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "cairn/core/ids.h"

namespace cairn::report::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kPython[] = "/usr/bin/python3";

constexpr char kSvgScript[] = R"py(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
if root.tag != '{http://www.w3.org/2000/svg}svg':
    sys.exit('root element is ' + root.tag)
if root.find('{http://www.w3.org/2000/svg}title') is None:
    sys.exit('no <title> element')
)py";

constexpr char kHtmlScript[] = R"py(
import sys
from html.parser import HTMLParser
VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}
class Strict(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
    def handle_starttag(self, tag, attrs):
        if tag == 'script':
            raise SystemExit('page has a <script> element')
        for name, value in attrs:
            if name.startswith('on'):
                raise SystemExit('page has an event handler attribute ' + name)
            if name in ('href', 'src') and value and not value.startswith('#'):
                raise SystemExit('page refers to ' + value)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if not self.stack:
            raise SystemExit('closing </%s> with nothing open at %s' % (tag, self.getpos()))
        open_tag, pos = self.stack.pop()
        if open_tag != tag:
            raise SystemExit('</%s> at %s closes <%s> from %s' % (tag, self.getpos(), open_tag, pos))
parser = Strict()
with open(sys.argv[1], encoding='utf-8') as f:
    text = f.read()
if not text.startswith('<!DOCTYPE html>'):
    raise SystemExit('no doctype')
parser.feed(text)
parser.close()
if parser.stack:
    raise SystemExit('unclosed: ' + ', '.join(t for t, _ in parser.stack))
)py";

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string RunPython(const char* script, const std::string& content, const char* suffix) {
  const fs::path dir = fs::temp_directory_path() / ("cairn-report-test-" + NewId());
  fs::create_directories(dir);
  const fs::path script_path = dir / "check.py", input = dir / (std::string("input") + suffix),
                 errors = dir / "errors.txt";
  std::ofstream(script_path) << script;
  std::ofstream(input, std::ios::binary) << content;
  const std::string command = std::string(kPython) + " '" + script_path.string() + "' '" + input.string() +
                              "' >/dev/null 2>'" + errors.string() + "'";
  const int status = std::system(command.c_str());
  std::string result;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    result = Slurp(errors);
    if (result.empty()) result = "python exited with status " + std::to_string(status);
  }
  fs::remove_all(dir);
  return result;
}

}  // namespace

bool PythonAvailable() { return fs::exists(kPython); }

std::string CheckSvg(const std::string& svg) { return RunPython(kSvgScript, svg, ".svg"); }

std::string CheckHtml(const std::string& html) { return RunPython(kHtmlScript, html, ".html"); }

bool HasNonFiniteText(const std::string& text) {
  static const std::regex kPattern("(^|[^a-z])(nan|inf|infinity)([^a-z]|$)", std::regex::icase);
  return std::regex_search(text, kPattern);
}

}  // namespace cairn::report::testing
