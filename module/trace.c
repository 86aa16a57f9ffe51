// SPDX-License-Identifier: GPL-2.0
/* Instantiates the pagehint trace events declared in pagehint_trace.h. */
#define CREATE_TRACE_POINTS
#include "pagehint_trace.h"
