/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* vesper-sim: the simulator over the programs bundled with Vesper. */
#include <vesper/sim.h>

#include "programs.h"

static const struct vesper_sim_program bundled[] = {
    {"hello", hello_main, "greet through the debug-print syscall and exit", VESPER_SIM_ANY_TIME},
    {"caps", caps_main, "retype, copy, mint, move, revoke and delete capabilities",
     VESPER_SIM_ANY_TIME},
    {"pingpong", pingpong_main, "a client domain makes 1000 Calls to a server domain",
     VESPER_SIM_ANY_TIME},
    {"ipc", ipc_demo_main, "Call/ReplyRecv, notifications, capability transfer, faults",
     VESPER_SIM_ANY_TIME},
    {"share", share_main, "one frame in three protection domains: granted, read only, never",
     VESPER_SIM_ANY_TIME},
    {"threads", threads_main, "three user-level threads take turns with no kernel entry",
     VESPER_SIM_ANY_TIME},
    {"preempt", preempt_main, "threads that never yield, switched at each preemption upcall",
     VESPER_SIM_ANY_TIME},
    {"sched-edf", sched_edf_main, "a user-level EDF scheduler meets every deadline beside a spinner",
     VESPER_SIM_VIRTUAL_TIME_ONLY},
    {"sched-rr", sched_rr_main, "the same domains under round robin miss deadlines",
     VESPER_SIM_VIRTUAL_TIME_ONLY},
    {"sched-priority", sched_priority_main, "the same domains under fixed priorities",
     VESPER_SIM_VIRTUAL_TIME_ONLY},
    {"sleep", timer_demo_main, "a user-space timer driver serves sleeps to two domains",
     VESPER_SIM_ANY_TIME},
    {"echo", echo_main, "an interrupt-driven console driver echoes lines of --input",
     VESPER_SIM_ANY_TIME},
    {"spin", spin_main, "domains spin with no syscall; the timer preempts them (--time real)",
     VESPER_SIM_REAL_TIME_ONLY},
    {"revoke", long_revoke_main,
     "a long Revoke is preempted and made again (--time real --memory 32)",
     VESPER_SIM_REAL_TIME_ONLY},
};

int main(int argc, char **argv)
{
    return vesper_sim_main(argc, argv, bundled, sizeof bundled / sizeof bundled[0]);
}
