// The properties the model harnesses check, shared by the byte-level harnesses (compile, fmt)
// and the structure-aware one (generated), which feeds them models from the generator.
#pragma once

#include <cstddef>
#include <string_view>

namespace leadscore::fuzz {

// Compiles `source`; a refused model must carry an error diagnostic, and one that compiles is
// disassembled and scores a fixed lead with its events, in batch and streaming, which must
// agree. `lint` adds the reviewer's checks. Returns whether the model compiled.
bool check_compile(std::string_view source, bool lint);

// fmt's promises: formatting a formatted text changes nothing, and formatting never changes
// what the model computes (both compile to the same fingerprint, or both fail with the same
// error codes). A text fmt refuses must not compile either.
void check_format(std::string_view source);

// Counts how many of a harness's inputs were valid models and prints the share when the
// process ends, so a campaign's log shows how much of the corpus gets past the error paths.
class ValidShare {
 public:
  explicit ValidShare(const char* what) : what_(what) {}
  ~ValidShare();
  void add(bool valid) {
    ++inputs_;
    valid_ += valid ? 1 : 0;
  }

 private:
  const char* what_;
  std::size_t inputs_ = 0;
  std::size_t valid_ = 0;
};

}  // namespace leadscore::fuzz
