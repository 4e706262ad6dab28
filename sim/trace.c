/* SPDX-License-Identifier: BlueOak-1.0.0 */
#include "trace.h"
