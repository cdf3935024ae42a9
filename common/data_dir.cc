#include "common/data_dir.h"

#include <filesystem>
#include <system_error>

namespace antt {

std::string InstalledDataPath(const std::string& name) {
  std::error_code error;
  const std::filesystem::path exe =
      std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "";
  return (exe.parent_path().parent_path() / "share" / "antt" / name).string();
}

}  // namespace antt
