#ifndef ANTT_COMMON_DATA_DIR_H_
#define ANTT_COMMON_DATA_DIR_H_

#include <string>

namespace antt {

// <directory of this binary>/../share/antt/<name>: where an install, and the
// build tree, put reference data, so a server finds it without a flag.
[[nodiscard]] std::string InstalledDataPath(const std::string& name);

}  // namespace antt

#endif  // ANTT_COMMON_DATA_DIR_H_
