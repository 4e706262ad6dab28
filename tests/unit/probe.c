/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Touches of the users' window that may fault (probe.h). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "hal.h"
#include "host_internal.h"
#include "probe.h"

static sigjmp_buf probe_jump;
static volatile sig_atomic_t probing;

static void on_probe_fault(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (host_protection_fill((uintptr_t)info->si_addr))
        return; /* a first touch under lazy protection: retry */
    if (probing)
        siglongjmp(probe_jump, 1);
    signal(sig, SIG_DFL); /* not a probe's: let it crash */
}

bool test_probe(uintptr_t address, bool write)
{
    struct sigaction action, old;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_probe_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &old);
    bool done = false;
    if (sigsetjmp(probe_jump, 1) == 0) {
        probing = 1;
        volatile unsigned char *p = (volatile unsigned char *)address;
        if (write)
            *p = *(volatile unsigned char *)(address + HAL_HOST_WINDOW_OFFSET);
        else
            (void)*p;
        done = true;
    }
    probing = 0;
    sigaction(SIGSEGV, &old, NULL);
    return done;
}
