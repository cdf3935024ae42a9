#ifndef ANTT_CLI_PROGRESS_H_
#define ANTT_CLI_PROGRESS_H_

// Placeholder: filled by the change that implements it.

namespace antt::cli {}  // namespace antt::cli

#endif  // ANTT_CLI_PROGRESS_H_
