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

// Steps through a record without copying. A malformed record (never written by the store,
// but a database may be edited by hand) ends the iteration and sets `corrupt`.
class RecordReader {
 public:
  explicit RecordReader(std::string_view bytes);
  bool next(Field& field);
  bool corrupt() const { return corrupt_; }

 private:
  bool varint(std::uint64_t& out);
  std::string_view rest_;
  std::uint64_t remaining_ = 0;
  bool corrupt_ = false;
};

Value to_value(const Field& field);

}  // namespace leadscore::store
