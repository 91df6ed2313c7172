#include "engine/store/rejects.hpp"

#include "leadscore/store.hpp"

namespace leadscore::store {

RejectWriter::RejectWriter(const std::filesystem::path& input, const RowSource& rows)
    : input_(input), rows_(rows) {
  std::filesystem::path stem = input.parent_path() / input.stem();
  rows_path_ = stem.string() + ".rejects" + input.extension().string();
  log_path_ = stem.string() + ".rejects.log";
}

RejectWriter::~RejectWriter() {
  if (finished_ || !opened_) return;
  rows_out_.close();
  log_out_.close();
  std::error_code ec;
  std::filesystem::remove(rows_path_, ec);
  std::filesystem::remove(log_path_, ec);
}

void RejectWriter::add(std::size_t line, std::string_view raw, const std::string& reason) {
  if (!opened_) {
    opened_ = true;
    rows_out_.open(rows_path_, std::ios::binary | std::ios::trunc);
    log_out_.open(log_path_, std::ios::binary | std::ios::trunc);
    if (!rows_out_ || !log_out_) {
      throw StoreError(rows_path_.string() + ": cannot write the rejects file");
    }
    if (rows_.is_csv()) rows_out_ << rows_.header_line() << "\r\n";
  }
  rows_out_ << raw << (rows_.is_csv() ? "\r\n" : "\n");
  log_out_ << input_.string() << ':' << line << ": " << reason << '\n';
  if (!rows_out_ || !log_out_) {
    throw StoreError(rows_path_.string() + ": cannot write the rejects file (disk full?)");
  }
}

std::filesystem::path RejectWriter::finish() {
  finished_ = true;
  if (!opened_) {
    std::error_code ec;
    std::filesystem::remove(rows_path_, ec);
    std::filesystem::remove(log_path_, ec);
    return {};
  }
  rows_out_.close();
  log_out_.close();
  if (rows_out_.fail() || log_out_.fail()) {
    throw StoreError(rows_path_.string() + ": cannot write the rejects file (disk full?)");
  }
  return rows_path_;
}

}  // namespace leadscore::store
