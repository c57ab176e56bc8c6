#pragma once
// Collects the bytes of one reply of a line-based protocol as they arrive
// in arbitrary pieces, and says when its last line has come. Pure: the
// socket code feeds it, tests feed it every split of a fixture.

#include <cstddef>
#include <string>
#include <string_view>

namespace mwx {

class ReplyAssembler {
 public:
  enum class State { Incomplete, Complete, TooLarge };

  // `is_last_line` gets each line without its "\n" or "\r\n".
  ReplyAssembler(bool (*is_last_line)(std::string_view), std::size_t max_bytes)
      : is_last_line_(is_last_line), max_bytes_(max_bytes) {}

  // Appends a piece; lines are scanned once each, whatever the split.
  State feed(std::string_view piece);
  State state() const { return state_; }
  // The whole reply, final line included (when Complete).
  std::string take() { return std::move(buffer_); }
  // The bytes that came after the final line (when Complete): with
  // commands sent together, the start of the next reply.
  const std::string& following() const { return following_; }
  std::size_t size() const { return buffer_.size(); }

 private:
  bool (*is_last_line_)(std::string_view);
  std::size_t max_bytes_;
  std::string buffer_;
  std::string following_;
  std::size_t scanned_ = 0;
  State state_ = State::Incomplete;
};

}  // namespace mwx
