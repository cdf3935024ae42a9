#include "common/keys.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "rocksdb/comparator.h"
#include "rocksdb/slice.h"

namespace antt {
namespace {

using std::string_literals::operator""s;

// RocksDB's default order, which the encoding must agree with.
int Bytewise(const std::string& a, const std::string& b) {
  return rocksdb::BytewiseComparator()->Compare(rocksdb::Slice(a),
                                                rocksdb::Slice(b));
}

std::string Encode64(uint64_t value) {
  std::string key;
  AppendUint64(&key, value);
  return key;
}

std::string Encode32(uint32_t value) {
  std::string key;
  AppendUint32(&key, value);
  return key;
}

TEST(KeysTest, AppendUint64IsBigEndian) {
  EXPECT_EQ(Encode64(0x0102030405060708ULL),
            "\x01\x02\x03\x04\x05\x06\x07\x08"s);
  EXPECT_EQ(Encode64(1), "\0\0\0\0\0\0\0\x01"s);
  EXPECT_EQ(Encode64(0), std::string(8, '\0'));
  EXPECT_EQ(Encode64(std::numeric_limits<uint64_t>::max()),
            std::string(8, '\xFF'));
}

TEST(KeysTest, AppendUint32IsBigEndian) {
  EXPECT_EQ(Encode32(0x0A0B0C0DU), "\x0A\x0B\x0C\x0D"s);
  EXPECT_EQ(Encode32(256), "\0\0\x01\0"s);
}

TEST(KeysTest, AppendKeepsWhatIsAlreadyThere) {
  std::string key = "u";
  AppendUint32(&key, 2);
  AppendUint64(&key, 3);
  EXPECT_EQ(key, "u\0\0\0\x02\0\0\0\0\0\0\0\x03"s);
}

TEST(KeysTest, Uint64RoundTrips) {
  for (uint64_t value :
       {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256},
        uint64_t{0x8000000000000000ULL}, uint64_t{0x0123456789ABCDEFULL},
        std::numeric_limits<uint64_t>::max()}) {
    const std::string key = Encode64(value);
    absl::string_view in(key);
    const std::optional<uint64_t> decoded = ConsumeUint64(&in);
    ASSERT_TRUE(decoded.has_value()) << value;
    EXPECT_EQ(*decoded, value);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeysTest, Uint32RoundTrips) {
  for (uint32_t value : {0U, 1U, 0x80U, 0xFFFFU, 0x80000000U,
                         std::numeric_limits<uint32_t>::max()}) {
    const std::string key = Encode32(value);
    absl::string_view in(key);
    const std::optional<uint32_t> decoded = ConsumeUint32(&in);
    ASSERT_TRUE(decoded.has_value()) << value;
    EXPECT_EQ(*decoded, value);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeysTest, ConsumeAdvancesPastOneIntegerOnly) {
  std::string key;
  AppendUint64(&key, 42);
  AppendUint32(&key, 7);
  key += "tail";
  absl::string_view in(key);
  EXPECT_EQ(ConsumeUint64(&in), std::optional<uint64_t>(42));
  EXPECT_EQ(ConsumeUint32(&in), std::optional<uint32_t>(7));
  EXPECT_EQ(in, "tail");
}

TEST(KeysTest, ConsumeOnShortInputFailsAndLeavesInputAlone) {
  const std::string seven(7, '\x01');
  absl::string_view in(seven);
  EXPECT_FALSE(ConsumeUint64(&in).has_value());
  EXPECT_EQ(in.size(), 7u);

  const std::string three(3, '\x01');
  in = three;
  EXPECT_FALSE(ConsumeUint32(&in).has_value());
  EXPECT_EQ(in.size(), 3u);

  in = absl::string_view();
  EXPECT_FALSE(ConsumeUint64(&in).has_value());
  EXPECT_FALSE(ConsumeUint32(&in).has_value());
}

TEST(KeysTest, EncodedUint64OrderIsNumericOrder) {
  // Values whose little-endian or signed encodings would sort differently.
  const std::vector<uint64_t> ascending = {
      0,          1,
      127,        128,
      255,        256,
      257,        65535,
      65536,      0x7FFFFFFF,
      0x80000000, 0xFFFFFFFF,
      1ULL << 32, (1ULL << 63) - 1,
      1ULL << 63, std::numeric_limits<uint64_t>::max()};
  for (size_t i = 0; i < ascending.size(); ++i) {
    for (size_t j = 0; j < ascending.size(); ++j) {
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      const int got = Bytewise(Encode64(ascending[i]), Encode64(ascending[j]));
      EXPECT_EQ(got < 0 ? -1 : (got > 0 ? 1 : 0), expected)
          << ascending[i] << " vs " << ascending[j];
    }
  }
}

TEST(KeysTest, EncodedUint32OrderIsNumericOrder) {
  const std::vector<uint32_t> ascending = {
      0, 1, 255, 256, 65535, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(Bytewise(Encode32(ascending[i]), Encode32(ascending[i + 1])), 0)
        << ascending[i] << " vs " << ascending[i + 1];
  }
}

TEST(KeyBuilderTest, BuildsPrefixPartsAndSeparators) {
  EXPECT_EQ(KeyBuilder("u").Build(), "u\0"s);
  EXPECT_EQ(KeyBuilder("t").Str("0100109106").Build(),
            "t\0"
            "0100109106\0"s);
  EXPECT_EQ(KeyBuilder("a").Str("x").U32(1).U64(2).Raw("id").Build(),
            "a\0x\0\0\0\0\x01\0\0\0\0\0\0\0\x02id"s);
}

TEST(KeyBuilderTest, StrPartOfOneValueIsNotAPrefixOfAnother) {
  // The separator keeps a scan for "ab" from matching "abc".
  const std::string ab = KeyBuilder("n").Str("ab").Build();
  const std::string abc = KeyBuilder("n").Str("abc").Build();
  EXPECT_NE(abc.compare(0, ab.size(), ab), 0);
  EXPECT_LT(Bytewise(ab, abc), 0);
}

TEST(KeyBuilderTest, IntegerPartsOrderNumerically) {
  const std::string k255 = KeyBuilder("c").Str("unit").U64(255).Build();
  const std::string k256 = KeyBuilder("c").Str("unit").U64(256).Build();
  const std::string k1000 = KeyBuilder("c").Str("unit").U64(1000).Build();
  EXPECT_LT(Bytewise(k255, k256), 0);
  EXPECT_LT(Bytewise(k256, k1000), 0);
}

TEST(PrefixSuccessorTest, IncrementsTheLastByte) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor("u\0"s), "u\x01"s);
  EXPECT_EQ(PrefixSuccessor("\x7F"), "\x80");
}

TEST(PrefixSuccessorTest, DropsTrailingFFBytes) {
  EXPECT_EQ(PrefixSuccessor("a\xFF"), "b");
  EXPECT_EQ(PrefixSuccessor("a\xFF\xFF"), "b");
  EXPECT_EQ(PrefixSuccessor("\x01\xFE\xFF"), "\x01\xFF");
}

TEST(PrefixSuccessorTest, AllFFOrEmptyHasNoSuccessor) {
  EXPECT_EQ(PrefixSuccessor("\xFF"), "");
  EXPECT_EQ(PrefixSuccessor("\xFF\xFF\xFF"), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST(PrefixSuccessorTest, BoundsEveryKeyWithThePrefix) {
  const std::string prefix = KeyBuilder("u").Str("45").Build();
  const std::string limit = PrefixSuccessor(prefix);
  for (const std::string& key :
       {prefix, prefix + "\xFF\xFF\xFF",
        KeyBuilder("u").Str("45").U64(~0ULL).Build()}) {
    EXPECT_LT(Bytewise(key, limit), 0);
  }
  // A key of the next value is not below the bound.
  EXPECT_GE(Bytewise(KeyBuilder("u").Str("46").Build(), limit), 0);
  EXPECT_GE(Bytewise(KeyBuilder("u").Str("45\x01").Build(), limit), 0);
}

}  // namespace
}  // namespace antt
