#include "common/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "Trường" spelled both ways. NFC: ư = U+01B0, ờ = U+1EDD. NFD: u + U+031B
// (horn), o + U+031B + U+0300 (grave).
constexpr char kTruongNfc[] = "Tr\xC6\xB0\xE1\xBB\x9Dng";
constexpr char kTruongNfd[] =
    "Tru\xCC\x9B"
    "o\xCC\x9B\xCC\x80"
    "ng";
// "Nguyễn": ễ = U+1EC5 (NFC) or e + U+0302 + U+0303 (NFD).
constexpr char kNguyenNfc[] = "Nguy\xE1\xBB\x85n";
constexpr char kNguyenNfd[] =
    "Nguye\xCC\x82\xCC\x83"
    "n";

TEST(NormalizeNfcTest, ComposesDecomposedVietnamese) {
  absl::StatusOr<std::string> nfc = NormalizeNfc(kTruongNfd);
  ASSERT_OK(nfc);
  EXPECT_EQ(*nfc, kTruongNfc);

  nfc = NormalizeNfc(kNguyenNfd);
  ASSERT_OK(nfc);
  EXPECT_EQ(*nfc, kNguyenNfc);
}

TEST(NormalizeNfcTest, LeavesNfcTextUnchanged) {
  const std::string text = "Trường THPT Nguyễn Du, Đông Hà";
  absl::StatusOr<std::string> nfc = NormalizeNfc(text);
  ASSERT_OK(nfc);
  EXPECT_EQ(*nfc, text);
}

TEST(NormalizeNfcTest, EmptyTextIsEmpty) {
  absl::StatusOr<std::string> nfc = NormalizeNfc("");
  ASSERT_OK(nfc);
  EXPECT_EQ(*nfc, "");
}

TEST(NormalizeNfcTest, RejectsInvalidUtf8) {
  EXPECT_CODE(NormalizeNfc("\xFF"), absl::StatusCode::kInvalidArgument);
  // A lead byte without its continuation.
  EXPECT_CODE(NormalizeNfc("abc\xC3"), absl::StatusCode::kInvalidArgument);
  // A continuation byte with no lead byte.
  EXPECT_CODE(NormalizeNfc("\x80xyz"), absl::StatusCode::kInvalidArgument);
  // An overlong encoding of '/'.
  EXPECT_CODE(NormalizeNfc("\xC0\xAF"), absl::StatusCode::kInvalidArgument);
}

TEST(CharacterCountTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  // Six letters in eight bytes (ễ is three bytes).
  ASSERT_EQ(std::string(kNguyenNfc).size(), 8u);
  EXPECT_EQ(CharacterCount(kNguyenNfc), 6u);
  // "Đường" = Đ(2) ư(2) ờ(3) n g: 5 letters, 9 bytes.
  ASSERT_EQ(std::string("Đường").size(), 9u);
  EXPECT_EQ(CharacterCount("Đường"), 5u);
  EXPECT_EQ(CharacterCount("Trường THPT Nguyễn Du"), 21u);
}

TEST(CharacterCountTest, CountsCombiningMarksSeparately) {
  // Decomposed text has more code points; callers count after NFC.
  EXPECT_EQ(CharacterCount(kNguyenNfd), 8u);
}

TEST(HasControlCharacterTest, DetectsC0AndC1Controls) {
  EXPECT_TRUE(HasControlCharacter("a\tb"));
  EXPECT_TRUE(HasControlCharacter("a\nb"));
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacter("\x01"));
  EXPECT_TRUE(HasControlCharacter("end\x7F"));       // DEL
  EXPECT_TRUE(HasControlCharacter("Nguy\xC2\x85"));  // U+0085, a C1 control
}

TEST(HasControlCharacterTest, AcceptsOrdinaryText) {
  EXPECT_FALSE(HasControlCharacter(""));
  EXPECT_FALSE(HasControlCharacter("Trường THPT Nguyễn Du"));
  EXPECT_FALSE(HasControlCharacter("Công ty TNHH (ABC), số 12/3 - Đông Hà"));
  EXPECT_FALSE(HasControlCharacter(kNguyenNfd));
}

TEST(TrimSpaceTest, TrimsAsciiAndUnicodeSpaceSeparators) {
  // U+00A0 no-break space, U+3000 ideographic space, tab and newline.
  EXPECT_EQ(TrimSpace("\xC2\xA0 \tSở Tư pháp\n\xE3\x80\x80"), "Sở Tư pháp");
  EXPECT_EQ(TrimSpace("\xC2\xA0\xC2\xA0"), "");
  EXPECT_EQ(TrimSpace("a b"), "a b");  // inner space stays
  EXPECT_EQ(TrimSpace(""), "");
}

TEST(TrimSpaceTest, KeepsLettersWithMultiByteEncodings) {
  EXPECT_EQ(TrimSpace(" Đồng "), "Đồng");
  EXPECT_EQ(TrimSpace("ữ"), "ữ");
}

TEST(FoldForSearchTest, StripsDiacriticsAndCase) {
  EXPECT_EQ(FoldForSearch("Trường THPT Nguyễn Du"), "truong thpt nguyen du");
  EXPECT_EQ(FoldForSearch("Sở Giáo dục và Đào tạo"), "so giao duc va dao tao");
  EXPECT_EQ(FoldForSearch("ỨNG HÒA"), "ung hoa");
}

TEST(FoldForSearchTest, FoldsDStrokeToD) {
  EXPECT_EQ(FoldForSearch("Đ"), "d");
  EXPECT_EQ(FoldForSearch("đ"), "d");
  EXPECT_EQ(FoldForSearch("Đông Hà"), "dong ha");
  EXPECT_EQ(FoldForSearch("Đà Nẵng đẹp"), "da nang dep");
}

TEST(FoldForSearchTest, NfdFoldsLikeNfc) {
  EXPECT_EQ(FoldForSearch(kTruongNfd), FoldForSearch(kTruongNfc));
  EXPECT_EQ(FoldForSearch(kTruongNfd), "truong");
  EXPECT_EQ(FoldForSearch(kNguyenNfd), "nguyen");
}

TEST(FoldForSearchTest, CollapsesPunctuationAndSpaces) {
  EXPECT_EQ(FoldForSearch("  Công ty -- TNHH,,,  (ABC)!  "),
            "cong ty tnhh abc");
  EXPECT_EQ(FoldForSearch("Trường\tTHPT\n\nNguyễn-Du"),
            "truong thpt nguyen du");
  EXPECT_EQ(FoldForSearch("...---..."), "");
}

TEST(FoldForSearchTest, KeepsDigits) {
  EXPECT_EQ(FoldForSearch("Trường số 12/3"), "truong so 12 3");
}

TEST(FoldForSearchTest, InvalidUtf8FoldsToEmpty) {
  EXPECT_EQ(FoldForSearch("\xFF"), "");
  EXPECT_EQ(FoldForSearch("Trường\xC3"), "");
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(SearchWordsTest, DistinctWordsInFirstSeenOrder) {
  EXPECT_THAT(SearchWords("Trường THPT Trường Chinh, trường"),
              ElementsAre("truong", "thpt", "chinh"));
  EXPECT_THAT(SearchWords("Đông Hà dong ha ĐÔNG"), ElementsAre("dong", "ha"));
}

TEST(SearchWordsTest, EmptyForNoWords) {
  EXPECT_THAT(SearchWords(""), IsEmpty());
  EXPECT_THAT(SearchWords(" - , "), IsEmpty());
  EXPECT_THAT(SearchWords("\xFF"), IsEmpty());
}

TEST(MatchesQueryTest, EveryQueryWordIsAPrefixOfSomeWord) {
  const std::string text = FoldForSearch("Trường THPT Nguyễn Du");
  EXPECT_TRUE(MatchesQuery(text, "truong thpt nguyen du"));
  EXPECT_TRUE(MatchesQuery(text, "nguy tru"));  // any order
  EXPECT_TRUE(MatchesQuery(text, "du"));
  EXPECT_TRUE(MatchesQuery(text, "  thpt   "));
}

TEST(MatchesQueryTest, AllWordsMustMatch) {
  const std::string text = FoldForSearch("Trường THPT Nguyễn Du");
  EXPECT_FALSE(MatchesQuery(text, "truong le"));
  EXPECT_FALSE(MatchesQuery(text, "thcs"));
}

TEST(MatchesQueryTest, MatchesPrefixesNotInnerSubstrings) {
  const std::string text = FoldForSearch("Trường THPT Nguyễn Du");
  EXPECT_FALSE(MatchesQuery(text, "uong"));
  EXPECT_FALSE(MatchesQuery(text, "truongthpt"));
  EXPECT_FALSE(MatchesQuery(text, "dung"));  // longer than the word "du"
}

TEST(MatchesQueryTest, DMatchesDStrokeAfterFolding) {
  EXPECT_TRUE(MatchesQuery(FoldForSearch("Phường Đông Hà"),
                           FoldForSearch("phuong dong ha")));
  EXPECT_TRUE(
      MatchesQuery(FoldForSearch("Công ty Dược"), FoldForSearch("đươc")));
  EXPECT_TRUE(MatchesQuery(FoldForSearch("Đà Nẵng"), FoldForSearch("d")));
}

TEST(MatchesQueryTest, EmptyQueryMatchesEverything) {
  EXPECT_TRUE(MatchesQuery("truong thpt", ""));
  EXPECT_TRUE(MatchesQuery("", ""));
  EXPECT_FALSE(MatchesQuery("", "a"));
}

}  // namespace
}  // namespace antt
