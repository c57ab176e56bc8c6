#include "agent/poll/reply_assembler.hpp"

namespace mwx {

ReplyAssembler::State ReplyAssembler::feed(std::string_view piece) {
  if (state_ != State::Incomplete) return state_;
  buffer_.append(piece);
  for (auto newline = buffer_.find('\n', scanned_); newline != std::string::npos;
       newline = buffer_.find('\n', scanned_)) {
    std::string_view line(buffer_.data() + scanned_, newline - scanned_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    scanned_ = newline + 1;
    if (is_last_line_(line)) {
      following_.assign(buffer_, scanned_);
      buffer_.resize(scanned_);
      return state_ = State::Complete;
    }
  }
  if (buffer_.size() > max_bytes_) state_ = State::TooLarge;
  return state_;
}

}  // namespace mwx
