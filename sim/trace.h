/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* vesper-sim's trace of kernel events. */
#ifndef VESPER_SIM_TRACE_H
#define VESPER_SIM_TRACE_H
#endif
