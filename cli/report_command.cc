#include "cli/report_command.h"
