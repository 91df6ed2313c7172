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
