#ifndef ANTT_COMMON_ROCKSDB_STATUS_H_
#define ANTT_COMMON_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace antt {

// The one translation of rocksdb::Status into absl::Status. A read's NotFound
// is usually a normal answer: callers check IsNotFound() before translating.
// Busy/TryAgain (optimistic-transaction conflicts) become Aborted, so a caller
// may retry; corruption becomes DataLoss; I/O errors become Unavailable; an
// InvalidArgument from RocksDB is our fault, not the client's: Internal.
[[nodiscard]] absl::Status FromRocksDb(const rocksdb::Status& status);

}  // namespace antt

#endif  // ANTT_COMMON_ROCKSDB_STATUS_H_
