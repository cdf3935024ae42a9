#include "common/keys.h"

namespace antt {
namespace {

template <typename T>
void AppendBigEndian(std::string* key, T value) {
  for (int shift = (sizeof(T) - 1) * 8; shift >= 0; shift -= 8) {
    key->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

template <typename T>
std::optional<T> ConsumeBigEndian(absl::string_view* in) {
  if (in->size() < sizeof(T)) return std::nullopt;
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>((value << 8) | static_cast<unsigned char>((*in)[i]));
  }
  in->remove_prefix(sizeof(T));
  return value;
}

}  // namespace

void AppendUint64(std::string* key, uint64_t value) {
  AppendBigEndian(key, value);
}
void AppendUint32(std::string* key, uint32_t value) {
  AppendBigEndian(key, value);
}
std::optional<uint64_t> ConsumeUint64(absl::string_view* in) {
  return ConsumeBigEndian<uint64_t>(in);
}
std::optional<uint32_t> ConsumeUint32(absl::string_view* in) {
  return ConsumeBigEndian<uint32_t>(in);
}

KeyBuilder::KeyBuilder(absl::string_view prefix) : key_(prefix) {
  key_.push_back(kKeySeparator);
}

KeyBuilder& KeyBuilder::Str(absl::string_view part) {
  key_.append(part.data(), part.size());
  key_.push_back(kKeySeparator);
  return *this;
}

KeyBuilder& KeyBuilder::Raw(absl::string_view part) {
  key_.append(part.data(), part.size());
  return *this;
}

KeyBuilder& KeyBuilder::U64(uint64_t value) {
  AppendUint64(&key_, value);
  return *this;
}

KeyBuilder& KeyBuilder::U32(uint32_t value) {
  AppendUint32(&key_, value);
  return *this;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string limit(prefix);
  while (!limit.empty()) {
    unsigned char last = static_cast<unsigned char>(limit.back());
    if (last != 0xFF) {
      limit.back() = static_cast<char>(last + 1);
      return limit;
    }
    limit.pop_back();
  }
  return limit;
}

}  // namespace antt
