#include "cli/csv.h"
