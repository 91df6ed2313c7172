#include "engine/store/codec.hpp"

#include <cstring>

namespace leadscore::store {
namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(char(std::uint8_t(v) | 0x80));
    v >>= 7;
  }
  out.push_back(char(v));
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(char(std::uint8_t(v >> (8 * i))));
}

std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | std::uint8_t(p[i]);
  return v;
}

}  // namespace

void RecordWriter::add(std::uint32_t name_id, const Value& value) {
  if (value.is_missing()) return;
  put_varint(body_, name_id);
  switch (value.kind()) {
    case Value::Kind::number: {
      double n = value.as_number();
      std::uint64_t bits;
      std::memcpy(&bits, &n, sizeof bits);
      body_.push_back(char(Tag::number));
      put_u64(body_, bits);
      break;
    }
    case Value::Kind::string:
      body_.push_back(char(Tag::string));
      put_varint(body_, value.as_string().size());
      body_ += value.as_string();
      break;
    case Value::Kind::boolean:
      body_.push_back(char(value.as_boolean() ? Tag::yes : Tag::no));
      break;
    case Value::Kind::timestamp:
      body_.push_back(char(Tag::timestamp));
      put_u64(body_, std::uint64_t(value.as_timestamp()));
      break;
    default:
      return;
  }
  ++count_;
}

const std::string& RecordWriter::finish() {
  bytes_.clear();
  put_varint(bytes_, count_);
  bytes_ += body_;
  return bytes_;
}

RecordReader::RecordReader(std::string_view bytes) : rest_(bytes) {
  if (!bytes.empty() && !varint(remaining_)) corrupt_ = true;
}

bool RecordReader::varint(std::uint64_t& out) {
  out = 0;
  for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
    auto byte = std::uint8_t(rest_.front());
    rest_.remove_prefix(1);
    out |= std::uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

bool RecordReader::next(Field& field) {
  if (remaining_ == 0 || corrupt_) return false;
  --remaining_;
  std::uint64_t id;
  if (!varint(id) || rest_.empty()) return corrupt_ = true, false;
  field.name_id = std::uint32_t(id);
  field.tag = Tag(rest_.front());
  rest_.remove_prefix(1);
  switch (field.tag) {
    case Tag::number:
    case Tag::timestamp: {
      if (rest_.size() < 8) return corrupt_ = true, false;
      std::uint64_t bits = get_u64(rest_.data());
      rest_.remove_prefix(8);
      if (field.tag == Tag::number) {
        std::memcpy(&field.number, &bits, sizeof bits);
      } else {
        field.time = std::int64_t(bits);
      }
      return true;
    }
    case Tag::string: {
      std::uint64_t size;
      if (!varint(size) || size > rest_.size()) return corrupt_ = true, false;
      field.text = rest_.substr(0, size);
      rest_.remove_prefix(size);
      return true;
    }
    case Tag::yes:
    case Tag::no:
      return true;
  }
  return corrupt_ = true, false;
}

Value to_value(const Field& field) {
  switch (field.tag) {
    case Tag::number:
      return Value::number(field.number);
    case Tag::string:
      return Value::string(std::string(field.text));
    case Tag::yes:
      return Value::boolean(true);
    case Tag::no:
      return Value::boolean(false);
    case Tag::timestamp:
      return Value::timestamp(field.time);
  }
  return {};
}

}  // namespace leadscore::store
