#include "cairn/data/csv_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <thread>
#include <unordered_map>

#include "cairn/core/error.h"
#include "cairn/data/column_builder.h"
#include "cairn/data/csv_scanner.h"

namespace cairn::data {
namespace {

// Below this many bytes per chunk, threads cost more than they save.
constexpr size_t kMinChunkBytes = size_t{512} << 10;

struct Input {
  std::string_view source;
  const char* begin;  // first byte of the text (after a byte-order mark)
  const char* end;
  const CsvOptions* options;
  std::vector<std::string> names;  // header names, or generated ones
};

size_t LineOf(const Input& input, const char* where) {
  return 1 + static_cast<size_t>(std::count(input.begin, where, '\n'));
}

std::string DescribeColumn(const Input& input, size_t column) {
  std::string text = "column " + std::to_string(column + 1);
  if (column < input.names.size()) text += " ('" + input.names[column] + "')";
  return text;
}

struct CountingSink {
  size_t fields = 0;
  void Field(size_t, const char*, const char*, bool) { ++fields; }
};

[[noreturn]] void ThrowFault(const Input& input, const CsvFault& fault) {
  std::string prefix = std::string(input.source) + ":";
  const char* header_word = input.options->has_header ? "header has " : "the first row has ";
  switch (fault.kind) {
    case CsvFault::Kind::kTooFewFields:
      ThrowInvalidInput(prefix + std::to_string(LineOf(input, fault.record_start)) + ": " +
                        DescribeColumn(input, fault.column) + ": row has " + std::to_string(fault.fields) +
                        " fields, " + header_word + std::to_string(input.names.size()));
    case CsvFault::Kind::kTooManyFields: {
      // Count the whole record for the message; a later fault in it leaves the count open-ended.
      std::string count = "more than " + std::to_string(input.names.size());
      try {
        CountingSink sink;
        CsvScanner(input.options->delimiter).ScanRecord(fault.record_start, input.end, 0, sink);
        count = std::to_string(sink.fields);
      } catch (const CsvFault&) {
      }
      ThrowInvalidInput(prefix + std::to_string(LineOf(input, fault.record_start)) + ": column " +
                        std::to_string(fault.column + 1) + ": row has " + count + " fields, " + header_word +
                        std::to_string(input.names.size()));
    }
    case CsvFault::Kind::kUnterminatedQuote:
      ThrowInvalidInput(prefix + std::to_string(LineOf(input, fault.where)) + ": " +
                        DescribeColumn(input, fault.column) + ": the quote that opens here is never closed");
    case CsvFault::Kind::kInvalidUtf8: {
      const char* line_start = fault.where;
      while (line_start > input.begin && line_start[-1] != '\n') --line_start;
      ThrowInvalidInput(prefix + std::to_string(LineOf(input, fault.where)) + ": " +
                        DescribeColumn(input, fault.column) + ", byte " +
                        std::to_string(fault.where - line_start + 1) + ": invalid UTF-8");
    }
    case CsvFault::Kind::kQuoteInUnquoted:
      ThrowInvalidInput(prefix + std::to_string(LineOf(input, fault.where)) + ": " +
                        DescribeColumn(input, fault.column) +
                        ": quote inside an unquoted field; quote the whole field and double the inner quote");
    case CsvFault::Kind::kAfterQuote:
      ThrowInvalidInput(prefix + std::to_string(LineOf(input, fault.where)) + ": " +
                        DescribeColumn(input, fault.column) +
                        ": unexpected character after a closing quote; expected a delimiter or the end of the line");
  }
  ThrowInvalidInput(prefix + " malformed CSV");
}

// Runs fn(0..n-1) on up to `threads` threads. Every index runs; the exception
// of the lowest failing index is rethrown, so errors come out in file order.
template <class Fn>
void ParallelFor(size_t n, unsigned threads, Fn&& fn) {
  if (threads <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::exception_ptr> errors(n);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(threads, n); ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

struct NameSink {
  std::vector<std::string> names;
  void Field(size_t, const char* begin, const char* end, bool escaped) {
    std::string name(begin, end);
    if (escaped) {
      std::string plain;
      for (size_t i = 0; i < name.size(); ++i) {
        plain.push_back(name[i]);
        if (name[i] == '"') ++i;
      }
      name = std::move(plain);
    }
    names.push_back(std::move(name));
  }
};

// Reads the header (or, without one, counts the first record's fields) and
// returns where the data rows start.
const char* ReadHeader(Input& input) {
  const char* first = CsvScanner::SkipBlankLines(input.begin, input.end);
  if (first >= input.end) {
    ThrowInvalidInput(std::string(input.source) +
                      (input.options->has_header ? ": the file is empty; expected a header row"
                                                 : ": the file is empty; expected at least one row"));
  }
  NameSink sink;
  const char* after;
  try {
    after = CsvScanner(input.options->delimiter).ScanRecord(first, input.end, 0, sink);
  } catch (const CsvFault& fault) {
    ThrowFault(input, fault);
  }
  if (!input.options->has_header) {
    for (size_t i = 0; i < sink.names.size(); ++i) input.names.push_back("column_" + std::to_string(i + 1));
    return first;
  }
  std::string prefix = std::string(input.source) + ":" + std::to_string(LineOf(input, first)) + ": ";
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < sink.names.size(); ++i) {
    if (sink.names[i].empty()) ThrowInvalidInput(prefix + "column " + std::to_string(i + 1) + ": empty column name");
    auto [it, inserted] = seen.emplace(sink.names[i], i);
    if (!inserted) {
      ThrowInvalidInput(prefix + "column " + std::to_string(i + 1) + ": duplicate column name '" + sink.names[i] +
                        "' (also column " + std::to_string(it->second + 1) + ")");
    }
  }
  input.names = std::move(sink.names);
  return after;
}

// Splits [begin, end) at record boundaries. A record boundary is a newline
// outside quotes; in valid CSV a position is inside quotes exactly when an odd
// number of quotes precede it, so counting quotes from the start suffices.
// A stray quote can only misplace boundaries after the chunk that reports it.
std::vector<const char*> SplitChunks(const char* begin, const char* end, size_t count) {
  std::vector<const char*> bounds{begin};
  const char* scan = begin;
  bool in_quotes = false;
  size_t size = static_cast<size_t>(end - begin);
  for (size_t k = 1; k < count; ++k) {
    const char* target = begin + size / count * k;
    if (target <= scan) continue;
    while (scan < target) {
      auto* quote = static_cast<const char*>(std::memchr(scan, '"', static_cast<size_t>(target - scan)));
      if (!quote) break;
      in_quotes = !in_quotes;
      scan = quote + 1;
    }
    scan = std::max(scan, target);
    const char* boundary = nullptr;
    while (scan < end) {
      if (in_quotes) {
        auto* quote = static_cast<const char*>(std::memchr(scan, '"', static_cast<size_t>(end - scan)));
        if (!quote) {
          scan = end;
          break;
        }
        in_quotes = false;
        scan = quote + 1;
        continue;
      }
      auto* newline = static_cast<const char*>(std::memchr(scan, '\n', static_cast<size_t>(end - scan)));
      const char* limit = newline ? newline : end;
      auto* quote = static_cast<const char*>(std::memchr(scan, '"', static_cast<size_t>(limit - scan)));
      if (quote) {
        in_quotes = true;
        scan = quote + 1;
        continue;
      }
      if (newline) boundary = newline + 1;
      scan = limit;
      break;
    }
    if (!boundary || boundary >= end) break;
    bounds.push_back(boundary);
    scan = boundary;
  }
  bounds.push_back(end);
  return bounds;
}

struct Chunk {
  const char* begin;
  const char* end;
  size_t rows = 0;
  std::vector<ColumnBuilder> columns;
};

struct TypedSink {
  std::vector<ColumnBuilder>& columns;
  void Field(size_t column, const char* begin, const char* end, bool escaped) {
    columns[column].Add(begin, end, escaped);
  }
};

struct TextSink {
  std::vector<ColumnBuilder*> targets;  // null for columns this pass skips
  void Field(size_t column, const char* begin, const char* end, bool escaped) {
    if (targets[column]) targets[column]->AddText(begin, end, escaped);
  }
};

template <class Sink>
size_t ScanChunk(const Input& input, const CsvScanner& scanner, const Chunk& chunk, Sink& sink) {
  size_t rows = 0;
  size_t expected = input.names.size();
  const char* p = chunk.begin;
  try {
    for (;;) {
      p = CsvScanner::SkipBlankLines(p, chunk.end);
      if (p >= chunk.end) break;
      p = scanner.ScanRecord(p, chunk.end, expected, sink);
      ++rows;
    }
  } catch (const CsvFault& fault) {
    ThrowFault(input, fault);
  }
  return rows;
}

ColumnType ResolveType(const std::vector<Chunk>& chunks, size_t column) {
  bool seen[7] = {};
  for (const auto& chunk : chunks) seen[static_cast<int>(chunk.columns[column].guess())] = true;
  auto has = [&](Guess g) { return seen[static_cast<int>(g)]; };
  int kinds = 0;
  for (int g = 1; g < 7; ++g) kinds += seen[g];
  if (kinds == 0) return ColumnType::kFloat;  // nothing but missing values
  if (has(Guess::kString) || has(Guess::kStringLate)) return ColumnType::kCategorical;
  if (kinds == 1) {
    if (has(Guess::kInteger)) return ColumnType::kInteger;
    if (has(Guess::kFloat)) return ColumnType::kFloat;
    if (has(Guess::kBoolean)) return ColumnType::kBoolean;
    return ColumnType::kDatetime;
  }
  if (kinds == 2 && has(Guess::kInteger) && has(Guess::kFloat)) return ColumnType::kFloat;
  return ColumnType::kCategorical;
}

// Concatenates one typed vector per chunk; chunks that hold only missing
// values (`use_part` false) contribute default values, masked as null.
template <class T>
void AppendOrFill(std::vector<T>& out, std::vector<T>& part, bool use_part, size_t rows, size_t total) {
  if (use_part && out.empty() && part.size() == total) {
    out = std::move(part);  // a single chunk: no copy at all
    return;
  }
  if (out.capacity() < total) out.reserve(total);
  if (use_part) {
    out.insert(out.end(), part.begin(), part.end());
    part = {};
  } else {
    out.resize(out.size() + rows, T{});
  }
}

Column AssembleColumn(std::vector<Chunk>& chunks, size_t column, ColumnType type, std::string name) {
  size_t total = 0;
  for (const auto& chunk : chunks) total += chunk.rows;
  std::vector<uint8_t> nulls;
  for (auto& chunk : chunks) AppendOrFill(nulls, chunk.columns[column].nulls(), true, chunk.rows, total);
  switch (type) {
    case ColumnType::kInteger:
    case ColumnType::kDatetime: {
      std::vector<int64_t> values;
      for (auto& chunk : chunks) {
        auto& builder = chunk.columns[column];
        AppendOrFill(values, builder.ints(), builder.guess() != Guess::kUnknown, chunk.rows, total);
      }
      return type == ColumnType::kInteger ? Column::FromIntegers(std::move(name), std::move(values), std::move(nulls))
                                          : Column::FromDatetimes(std::move(name), std::move(values), std::move(nulls));
    }
    case ColumnType::kFloat: {
      std::vector<double> values;
      for (auto& chunk : chunks) {
        auto& builder = chunk.columns[column];
        if (builder.guess() == Guess::kInteger) {
          values.reserve(total);
          values.insert(values.end(), builder.ints().begin(), builder.ints().end());
        } else {
          AppendOrFill(values, builder.floats(), builder.guess() == Guess::kFloat, chunk.rows, total);
        }
      }
      return Column::FromFloats(std::move(name), std::move(values), std::move(nulls));
    }
    case ColumnType::kBoolean: {
      std::vector<uint8_t> values;
      for (auto& chunk : chunks) {
        auto& builder = chunk.columns[column];
        AppendOrFill(values, builder.bools(), builder.guess() != Guess::kUnknown, chunk.rows, total);
      }
      return Column::FromBooleans(std::move(name), std::move(values), std::move(nulls));
    }
    case ColumnType::kCategorical:
      break;
  }
  // Chunk dictionaries merge in file order, so codes follow first appearance.
  std::unordered_map<std::string_view, int32_t> index;
  std::vector<std::string_view> dictionary;
  std::vector<int32_t> codes;
  codes.reserve(total);
  for (auto& chunk : chunks) {
    auto& builder = chunk.columns[column];
    if (builder.guess() == Guess::kUnknown) {
      codes.resize(codes.size() + chunk.rows, 0);
      continue;
    }
    std::vector<int32_t> remap;
    remap.reserve(builder.dictionary().size());
    for (std::string_view value : builder.dictionary()) {
      auto [it, inserted] = index.emplace(value, static_cast<int32_t>(dictionary.size()));
      if (inserted) dictionary.push_back(value);
      remap.push_back(it->second);
    }
    // The builder's null mask has moved into `nulls` already; read it there.
    const auto& local = builder.codes();
    size_t offset = codes.size();
    for (size_t i = 0; i < local.size(); ++i) {
      codes.push_back(nulls[offset + i] ? 0 : remap[static_cast<size_t>(local[i])]);
    }
  }
  std::vector<std::string> strings(dictionary.begin(), dictionary.end());
  return Column::FromCategorical(std::move(name), std::move(codes), std::move(strings), std::move(nulls));
}

Table ReadBuffer(const char* begin, const char* end, const CsvOptions& options, std::string_view source) {
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r' ||
      static_cast<unsigned char>(options.delimiter) >= 0x80) {
    ThrowInvalidInput(std::string(source) + ": the delimiter cannot be a quote, a line break or a non-ASCII byte");
  }
  if (end - begin >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;
  Input input{source, begin, end, &options, {}};
  const char* body = ReadHeader(input);
  size_t num_columns = input.names.size();

  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  size_t body_size = static_cast<size_t>(end - body);
  size_t chunk_count = threads <= 1 ? 1 : std::clamp<size_t>(body_size / kMinChunkBytes, 1, size_t{threads} * 4);
  std::vector<const char*> bounds = SplitChunks(body, end, chunk_count);

  MissingMarkers markers(options.missing_markers);
  CsvScanner scanner(options.delimiter);
  std::vector<Chunk> chunks(bounds.size() - 1);
  // Line length from a sample sizes every column once, which saves regrowing
  // (and page-faulting) vectors of millions of values.
  size_t sample = std::min<size_t>(body_size, 1 << 16);
  size_t sample_lines = static_cast<size_t>(std::count(body, body + sample, '\n'));
  double bytes_per_row = sample_lines ? static_cast<double>(sample) / static_cast<double>(sample_lines) : 0.0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    chunks[i].begin = bounds[i];
    chunks[i].end = bounds[i + 1];
    chunks[i].columns.assign(num_columns, ColumnBuilder(&markers));
    for (auto& column : chunks[i].columns) column.SetReadLimit(end);
    if (bytes_per_row > 0) {
      auto rows = static_cast<size_t>(static_cast<double>(bounds[i + 1] - bounds[i]) / bytes_per_row * 1.05) + 16;
      for (auto& column : chunks[i].columns) column.ExpectRows(rows);
    }
  }
  ParallelFor(chunks.size(), threads, [&](size_t i) {
    TypedSink sink{chunks[i].columns};
    chunks[i].rows = ScanChunk(input, scanner, chunks[i], sink);
  });

  std::vector<ColumnType> types(num_columns);
  for (size_t c = 0; c < num_columns; ++c) types[c] = ResolveType(chunks, c);

  // Second pass, only over chunks holding a string column whose text was not kept.
  ParallelFor(chunks.size(), threads, [&](size_t i) {
    TextSink sink{std::vector<ColumnBuilder*>(num_columns, nullptr)};
    bool needed = false;
    for (size_t c = 0; c < num_columns; ++c) {
      Guess guess = chunks[i].columns[c].guess();
      if (types[c] == ColumnType::kCategorical && guess != Guess::kString && guess != Guess::kUnknown) {
        chunks[i].columns[c].ResetAsString();
        sink.targets[c] = &chunks[i].columns[c];
        needed = true;
      }
    }
    if (needed) ScanChunk(input, scanner, chunks[i], sink);
  });

  std::vector<std::optional<Column>> columns(num_columns);
  ParallelFor(num_columns, threads,
              [&](size_t c) { columns[c].emplace(AssembleColumn(chunks, c, types[c], input.names[c])); });
  Table table;
  for (auto& column : columns) table.AddColumn(std::move(*column));
  return table;
}

}  // namespace

Table ReadCsvText(std::string_view text, const CsvOptions& options, std::string_view source_name) {
  return ReadBuffer(text.data(), text.data() + text.size(), options, source_name);
}

Table ReadCsvFile(const std::filesystem::path& path, const CsvOptions& options) {
  std::string name = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::string reason = std::strerror(errno);
    if (errno == ENOENT) ThrowNotFound(name + ": no such file");
    ThrowIo(name + ": cannot open: " + reason);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    ThrowIo(name + ": not a regular file");
  }
  size_t size = static_cast<size_t>(info.st_size);
  if (size == 0) {
    ::close(fd);
    return ReadBuffer(nullptr, nullptr, options, name);
  }
  // Mapping the file shares the page cache instead of copying it into fresh memory.
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) ThrowIo(name + ": cannot read: " + std::strerror(errno));
  struct Unmap {
    void* address;
    size_t size;
    ~Unmap() { ::munmap(address, size); }
  } unmap{mapped, size};
  const char* begin = static_cast<const char*>(mapped);
  return ReadBuffer(begin, begin + size, options, name);
}

}  // namespace cairn::data
