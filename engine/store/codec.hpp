// The compact binary form of a set of named values (an event's properties, a lead's
// attributes) as stored in the `props` and `attrs` columns. Names are stored as ids of the
// `names` table, so the hot scoring loop maps an id to a VM slot through a vector instead of
// hashing a string per value.
//
//   record := count:varint { name_id:varint tag:u8 payload }
//   tag 1 number    payload: 8-byte IEEE double, little-endian
//   tag 2 string    payload: length:varint bytes (UTF-8)
//   tag 3 true, tag 4 false (no payload)
//   tag 5 timestamp payload: 8-byte signed milliseconds, little-endian
// Missing values are not stored.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "leadscore/value.hpp"

namespace leadscore::store {

enum class Tag : std::uint8_t { number = 1, string = 2, yes = 3, no = 4, timestamp = 5 };

class RecordWriter {
 public:
  void clear() { bytes_.clear(), count_ = 0, body_.clear(); }
  void add(std::uint32_t name_id, const Value& value);
  // The encoded record; valid until the next clear().
  const std::string& finish();

 private:
  std::string body_;
  std::string bytes_;
  std::uint32_t count_ = 0;
};

// One decoded value; `text` points into the record's bytes.
struct Field {
  std::uint32_t name_id = 0;
  Tag tag = Tag::number;
  double number = 0;
  std::int64_t time = 0;
  std::string_view text;
};

// Little-endian, whatever the host's byte order.
inline std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | std::uint8_t(p[i]);
  return v;
}

// Steps through a record without copying. A malformed record (never written by the store,
// but a database may be edited by hand) ends the iteration and sets `corrupt`. Defined here
// so the scoring loop can inline it: it decodes every property of every event.
class RecordReader {
 public:
  explicit RecordReader(std::string_view bytes) : rest_(bytes) {
    if (!bytes.empty() && !varint(remaining_)) corrupt_ = true;
  }
  bool next(Field& field);
  bool corrupt() const { return corrupt_; }

 private:
  bool varint(std::uint64_t& out);
  std::string_view rest_;
  std::uint64_t remaining_ = 0;
  bool corrupt_ = false;
};

inline bool RecordReader::varint(std::uint64_t& out) {
  // Name ids, counts and most string lengths fit in one byte.
  if (!rest_.empty() && !(std::uint8_t(rest_.front()) & 0x80)) {
    out = std::uint8_t(rest_.front());
    rest_.remove_prefix(1);
    return true;
  }
  out = 0;
  for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
    auto byte = std::uint8_t(rest_.front());
    rest_.remove_prefix(1);
    out |= std::uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

inline bool RecordReader::next(Field& field) {
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

Value to_value(const Field& field);

}  // namespace leadscore::store
