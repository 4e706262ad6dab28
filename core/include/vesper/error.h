/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The one error enum of the Vesper ABI. Every syscall and every object
 * invocation answers with one of these values in its first result register;
 * VESPER_OK is the only success. docs/syscalls.md lists which operation can
 * return which error. New values are only ever appended.
 */
#ifndef VESPER_ERROR_H
#define VESPER_ERROR_H

enum vesper_error {
    VESPER_OK = 0,
    VESPER_ERR_UNKNOWN_SYSCALL = 1,  /* never returned today: an unknown syscall
                                      * number is a fault (VESPER_FAULT_UNKNOWN_SYSCALL);
                                      * kept because values are never reused */
    VESPER_ERR_INVALID_ARGUMENT = 2, /* an argument has a value the operation never accepts */
    VESPER_ERR_INVALID_ADDRESS = 3,  /* a user buffer lies outside the user address space */
    VESPER_ERR_RANGE = 4,            /* a value is outside the range the operation allows */
    VESPER_ERR_INVALID_CAPABILITY = 5,
    VESPER_ERR_ILLEGAL_OPERATION = 6,
    VESPER_ERR_ALIGNMENT = 7,
    VESPER_ERR_FAILED_LOOKUP = 8,
    VESPER_ERR_TRUNCATED_MESSAGE = 9,
    VESPER_ERR_DELETE_FIRST = 10,
    VESPER_ERR_REVOKE_FIRST = 11,
    VESPER_ERR_NOT_ENOUGH_MEMORY = 12,
    VESPER_ERR_WOULD_BLOCK = 13, /* a non-blocking receive found no sender */
    VESPER_ERR_CANCELLED = 14,   /* the IPC was cut short: object deleted, badge cancelled */
    VESPER_ERR_MISSING_TABLE = 15, /* a PDom lacks the PageTable an operation needs
                                    * there: result word 1 is the level to install */
};

#define VESPER_ERROR_COUNT 16

#endif
