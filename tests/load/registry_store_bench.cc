// registry_store_bench: Google Benchmark of the registry's hot paths below
// gRPC: text folding, validation, and RocksDbRegistryStore writes, point reads
// and ListUnits scans. Not a test: run it by hand, e.g.
//   build-bench/bin/registry_store_bench --benchmark_min_time=0.5
// Each store lives in a fresh directory under $TMPDIR, removed at exit.

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "common/text.h"
#include "services/registry/area_catalog.h"
#include "services/registry/rocksdb_registry_store.h"
#include "services/registry/unit_rules.h"
#include "tests/load/unit_generator.h"

namespace antt::registry::load {
namespace {

constexpr int kPrefilledUnits = 10'000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "registry_store_bench: %s\n", what.c_str());
  std::exit(1);
}

const AreaCatalog& Areas() {
  static const AreaCatalog* areas = [] {
    absl::StatusOr<std::unique_ptr<AreaCatalog>> loaded =
        AreaCatalog::Load(ANTT_AREAS_DIR);
    if (!loaded.ok()) Die(loaded.status().ToString());
    return loaded->release();
  }();
  return *areas;
}

// The next generated unit, normalised as Registry::CreateUnit does before it
// reaches the store (so in_scope is set); dies if the generator made an
// invalid unit.
v1::Unit NextValidUnit(UnitGenerator* generator) {
  v1::Unit unit = generator->Next();
  if (absl::Status s = NormalizeAndValidateUnit(Areas(), &unit); !s.ok()) {
    Die(absl::StrCat("generated an invalid unit: ", s.ToString()));
  }
  return unit;
}

// A store in a fresh temporary directory, deleted with it.
class TempStore final {
 public:
  explicit TempStore(const std::string& name) {
    std::string dir_template =
        (std::filesystem::temp_directory_path() /
         absl::StrCat("antt-store-bench-", name, "-XXXXXX"))
            .string();
    if (mkdtemp(dir_template.data()) == nullptr) Die("mkdtemp failed");
    dir_ = dir_template;
    absl::StatusOr<std::unique_ptr<RocksDbRegistryStore>> store =
        RocksDbRegistryStore::Open(dir_);
    if (!store.ok()) Die(store.status().ToString());
    store_ = *std::move(store);
  }
  ~TempStore() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;

  RocksDbRegistryStore* store() { return store_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<RocksDbRegistryStore> store_;
};

// One store holding kPrefilledUnits generated units, built on first use and
// shared by the read benchmarks; closed by main() before exit.
std::unique_ptr<TempStore>& PrefilledSlot() {
  static auto* slot = new std::unique_ptr<TempStore>();
  return *slot;
}

RocksDbRegistryStore* Prefilled() {
  std::unique_ptr<TempStore>& slot = PrefilledSlot();
  if (slot == nullptr) {
    slot = std::make_unique<TempStore>("prefilled");
    UnitGenerator generator(/*seed=*/7, kGetKeySpace);
    for (int i = 0; i < kPrefilledUnits; ++i) {
      absl::StatusOr<v1::Unit> created =
          slot->store()->CreateUnit(NextValidUnit(&generator), "");
      if (!created.ok()) Die(created.status().ToString());
    }
  }
  return slot->store();
}

void BM_FoldForSearch(benchmark::State& state) {
  const std::string name =
      "Trường Trung học phổ thông chuyên Lê Quý Đôn, thành phố Đông Hà";
  for (auto _ : state) {
    benchmark::DoNotOptimize(FoldForSearch(name));
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(name.size()));
}
BENCHMARK(BM_FoldForSearch);

// What every CreateUnit and every imported row pays before storage.
void BM_NormalizeAndValidateUnit(benchmark::State& state) {
  UnitGenerator generator(/*seed=*/3, kImportKeySpace);
  std::vector<v1::Unit> units;
  for (int i = 0; i < 1024; ++i) units.push_back(generator.Next());
  size_t i = 0;
  for (auto _ : state) {
    v1::Unit unit = units[i++ % units.size()];
    absl::Status s = NormalizeAndValidateUnit(Areas(), &unit);
    if (!s.ok()) {
      state.SkipWithError("generated an invalid unit");
      break;
    }
    benchmark::DoNotOptimize(unit);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeAndValidateUnit);

// One unit per iteration into a store that starts empty: record, indexes,
// counters and change-feed entry in one WriteBatch, WAL without fsync.
void BM_StoreCreateUnit(benchmark::State& state) {
  TempStore temp("create");
  UnitGenerator generator(/*seed=*/5, kGetKeySpace);
  // Templates are generated outside the timed loop; each iteration only gives
  // its copy a fresh unique key.
  std::vector<v1::Unit> templates;
  for (int i = 0; i < 4096; ++i) templates.push_back(NextValidUnit(&generator));
  int64_t n = 0;
  for (auto _ : state) {
    v1::Unit unit = templates[n % templates.size()];
    if (n++ >= static_cast<int64_t>(templates.size())) {
      if (unit.kind() == v1::UNIT_KIND_ENTERPRISE) {
        unit.set_tax_code(generator.NextTaxCode());
      } else {
        unit.set_external_id(generator.NextExternalId());
      }
    }
    absl::StatusOr<v1::Unit> created = temp.store()->CreateUnit(unit, "");
    if (!created.ok()) {
      state.SkipWithError(created.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreCreateUnit);

// A point read of a random unit among kPrefilledUnits (all in the memtable or
// block cache: the working set of a provincial registry fits in memory).
void BM_StoreGetUnit(benchmark::State& state) {
  RocksDbRegistryStore* store = Prefilled();
  std::vector<std::string> ids;
  for (int i = 1; i <= kPrefilledUnits; ++i) {
    ids.push_back(absl::StrFormat("U%010d", i));
  }
  std::mt19937_64 rng(11);
  for (auto _ : state) {
    absl::StatusOr<v1::Unit> unit = store->GetUnit(ids[rng() % ids.size()]);
    if (!unit.ok()) {
      state.SkipWithError(unit.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(unit);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreGetUnit);

// ListUnits, first page of 100, over kPrefilledUnits units:
//   /0  current province "44": every unit matches (total_size counts 10k)
//   /1  legacy district "461": about a tenth match
void BM_ListUnitsByArea(benchmark::State& state) {
  RocksDbRegistryStore* store = Prefilled();
  UnitQuery query;
  if (state.range(0) == 0) {
    query.edition = std::string(kCurrentEdition);
    query.area_code = "44";
  } else {
    query.edition = std::string(kLegacyEdition);
    query.area_code = "461";
  }
  query.page_size = 100;
  int total = 0;
  for (auto _ : state) {
    absl::StatusOr<UnitPage> page = store->ListUnits(query);
    if (!page.ok()) {
      state.SkipWithError(page.status().ToString().c_str());
      break;
    }
    total = page->total_size;
    benchmark::DoNotOptimize(page);
  }
  state.SetLabel(
      absl::StrCat(query.edition, "/", query.area_code, " total_size=", total));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ListUnitsByArea)->Arg(0)->Arg(1);

// ListUnits with a name query: every candidate of the longest word's index
// is read and re-checked, so the cost grows with the matches, not the page.
void BM_ListUnitsByQuery(benchmark::State& state) {
  RocksDbRegistryStore* store = Prefilled();
  UnitQuery query;
  query.edition = std::string(kCurrentEdition);
  query.folded_query = FoldForSearch("trường thpt nguyễn du");
  query.page_size = 100;
  int total = 0;
  for (auto _ : state) {
    absl::StatusOr<UnitPage> page = store->ListUnits(query);
    if (!page.ok()) {
      state.SkipWithError(page.status().ToString().c_str());
      break;
    }
    total = page->total_size;
    benchmark::DoNotOptimize(page);
  }
  state.SetLabel(
      absl::StrCat("\"", query.folded_query, "\" total_size=", total));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ListUnitsByQuery);

}  // namespace
}  // namespace antt::registry::load

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  // Close RocksDB before static destruction begins.
  antt::registry::load::PrefilledSlot().reset();
  benchmark::Shutdown();
  return 0;
}
