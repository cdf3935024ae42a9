// Progress of bulk commands, on a terminal and in a log, with a fake clock.

#include "cli/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace antt::cli {
namespace {

// A clock the test moves by hand.
class FakeClock {
 public:
  Progress::Clock AsClock() {
    return [this] { return now_; };
  }
  void Advance(absl::Duration d) { now_ += d; }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

TEST(FormatTest, EtaAndRate) {
  EXPECT_EQ(FormatEta(absl::Seconds(0)), "0s");
  EXPECT_EQ(FormatEta(absl::Milliseconds(4200)), "5s");
  EXPECT_EQ(FormatEta(absl::Seconds(65)), "1m05s");
  EXPECT_EQ(FormatEta(absl::Seconds(2 * 3600 + 3 * 60 + 9)), "2h03m");
  EXPECT_EQ(FormatRate(0.5), "0.5");
  EXPECT_EQ(FormatRate(12.4), "12");
  EXPECT_EQ(FormatRate(3400), "3400");
}

TEST(ProgressTest, PlainLineEveryTenPercentWithRateAndEta) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("import", 100, out, /*terminal=*/false, clock.AsClock());
  for (int i = 0; i < 9; ++i) {
    clock.Advance(absl::Milliseconds(100));
    progress.Add(1);
  }
  EXPECT_EQ(out.str(), "");  // under 10 %: nothing yet
  clock.Advance(absl::Milliseconds(100));
  progress.Add(0, 1);  // 10 items in 1 s, one failed
  EXPECT_EQ(out.str(), "import: 10/100 (10%), 1 failed, 10/s, ETA 9s\n");
  clock.Advance(absl::Seconds(1));
  progress.Add(15);  // 25 in 2 s: crosses 20 %, one line only
  EXPECT_EQ(out.str(),
            "import: 10/100 (10%), 1 failed, 10/s, ETA 9s\n"
            "import: 25/100 (25%), 1 failed, 12/s, ETA 6s\n");
  progress.Add(4);  // 29: still under 30 %
  EXPECT_EQ(progress.done(), 29);
  EXPECT_EQ(progress.failed(), 1);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(ProgressTest, FinishPrintsTheSummaryOnceAndNoHundredPercentLine) {
  FakeClock clock;
  std::ostringstream out;
  {
    Progress progress("units", 4, out, /*terminal=*/false, clock.AsClock());
    clock.Advance(absl::Seconds(2));
    progress.Add(3, 1);
    EXPECT_EQ(out.str(), "");
    progress.Finish();
    progress.Finish();
    progress.Add(5);  // after Finish: ignored
    EXPECT_EQ(progress.done(), 4);
  }  // the destructor does not print again
  EXPECT_EQ(out.str(), "units: 4 done, 1 failed in 2.0 s (2.0/s)\n");
}

TEST(ProgressTest, DestructorFinishes) {
  FakeClock clock;
  std::ostringstream out;
  {
    Progress progress("persons", 0, out, /*terminal=*/false, clock.AsClock());
    clock.Advance(absl::Milliseconds(500));
    progress.Add(2);
  }
  EXPECT_EQ(out.str(), "persons: 2 done, 0 failed in 0.5 s (4.0/s)\n");
}

TEST(ProgressTest, UnknownTotalPrintsEveryFiveSecondsWithoutEta) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("import", 0, out, /*terminal=*/false, clock.AsClock());
  clock.Advance(absl::Seconds(4));
  progress.Add(40);
  EXPECT_EQ(out.str(), "");
  clock.Advance(absl::Seconds(1));
  progress.Add(10);
  EXPECT_EQ(out.str(), "import: 50 done, 0 failed, 10/s\n");
  clock.Advance(absl::Seconds(1));
  progress.Add(10);
  EXPECT_EQ(out.str(), "import: 50 done, 0 failed, 10/s\n");
}

TEST(ProgressTest, TerminalRedrawsOneLineInPlaceWithABar) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("import", 8, out, /*terminal=*/true, clock.AsClock());
  clock.Advance(absl::Seconds(1));
  progress.Add(2);
  const std::string first =
      "\rimport: [######------------------] 2/8 (25%), 0 failed, 2.0/s, "
      "ETA 3s\x1b[K";
  EXPECT_EQ(out.str(), first);
  progress.Add(1);  // within 100 ms of the last draw: not redrawn
  EXPECT_EQ(out.str(), first);
  clock.Advance(absl::Seconds(1));
  progress.Add(1, 1);
  const std::string second =
      "\rimport: [###############---------] 5/8 (62%), 1 failed, 2.5/s, "
      "ETA 2s\x1b[K";
  EXPECT_EQ(out.str(), first + second);
  progress.Finish();  // clears the bar, then the summary on its own line
  EXPECT_EQ(out.str(), first + second +
                           "\r\x1b[Kimport: 5 done, 1 failed in 2.0 s "
                           "(2.5/s)\n");
}

TEST(ProgressTest, TerminalDrawsTheLastItemAtOnce) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("import", 2, out, /*terminal=*/true, clock.AsClock());
  clock.Advance(absl::Seconds(1));
  progress.Add(1);
  progress.Add(1);  // complete: drawn even within 100 ms
  EXPECT_NE(out.str().find("2/2 (100%)"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace antt::cli
