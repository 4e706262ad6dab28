/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The VideoCore mailbox and its property channel: how the HAL asks the
 * firmware, which owns the board's set-up, what the ARM cannot read from a
 * register. The only question asked is how much RAM the ARM owns, which
 * depends on config.txt (gpu_mem) and so on the board in hand.
 *
 * The ARM posts the address of a message buffer to mailbox 1 and the
 * firmware posts the same word back in mailbox 0 once it has written its
 * answers into the buffer (the Raspberry Pi firmware wiki: "Mailboxes",
 * "Accessing mailboxes", "Mailbox property interface"). Every wait is
 * bounded: a firmware that never answers costs a fixed number of polls
 * and a false return, never a hang.
 *
 * The one question is asked at boot before the MMU is on, while the data
 * cache is off: the buffer is written to and read from RAM directly and
 * needs no cache cleaning before the firmware reads it nor invalidation
 * after it writes. A call with the data cache on would need both (the
 * VideoCore does not snoop the ARM's caches).
 */
#include <stdbool.h>
#include <stdint.h>

#include "mailbox.h"
#include "rpi3.h"

/* Mailbox registers. Mailbox 0 carries words from the VideoCore to the
 * ARM, mailbox 1 from the ARM to the VideoCore: the ARM reads only
 * mailbox 0 and writes only mailbox 1. Each is an 8-word FIFO. */
#define MAILBOX_BASE (RPI3_PERIPHERAL_BASE + 0xB880u)
#define MAILBOX0_READ (MAILBOX_BASE + 0x00)
#define MAILBOX0_STATUS (MAILBOX_BASE + 0x18)
#define MAILBOX1_WRITE (MAILBOX_BASE + 0x20)
#define MAILBOX1_STATUS (MAILBOX_BASE + 0x38)

#define MAILBOX_STATUS_EMPTY (1u << 30) /* nothing to read */
#define MAILBOX_STATUS_FULL (1u << 31)  /* no room to write */
#define MAILBOX_DEPTH 8u

/* A mailbox word: a 16-byte aligned address in bits 31:4, the channel in
 * bits 3:0. */
#define MAILBOX_CHANNEL_MASK 0xFu
#define MAILBOX_CHANNEL_PROPERTY 8u /* property tags, ARM to VideoCore */

/* How many times one exchange may read a status register before it is
 * given up. A status read crosses the peripheral bus, so this is in the
 * order of a second on the board and a few seconds in QEMU; the firmware
 * answers this question in far less. */
#define MAILBOX_POLL_LIMIT 10000000u

/* The VideoCore sees the first GiB of RAM four times over, each alias
 * with its own caching; through the one at 0xC0000000 it bypasses its L2
 * cache, so what it writes there reaches RAM, where the ARM reads it. The
 * BCM2837's device tree gives Linux the same alias for ARM RAM; QEMU
 * accepts all four. */
#define VC_BUS_UNCACHED_ALIAS 0xC0000000u
#define VC_BUS_RAM_SIZE 0x40000000u

/* The property buffer: its size, a request or response code, tags, an end
 * tag. Each tag: its id, the size of its value buffer, a request/response
 * word (bit 31 set by the firmware when it answered, bits 30:0 then the
 * answer's length), the value buffer. */
#define PROPERTY_REQUEST 0x00000000u
#define PROPERTY_SUCCESS 0x80000000u
#define PROPERTY_TAG_RESPONSE (1u << 31)
#define PROPERTY_TAG_LENGTH_MASK 0x7FFFFFFFu
#define PROPERTY_TAG_END 0x00000000u
#define PROPERTY_TAG_GET_ARM_MEMORY 0x00010005u /* answers base, size */

enum {
    BUFFER_SIZE,     /* bytes in the whole buffer */
    BUFFER_CODE,     /* request, then the firmware's response code */
    TAG_ID,
    TAG_VALUE_BYTES, /* bytes of value buffer that follow */
    TAG_CODE,        /* request, then response bit and answer length */
    TAG_ANSWER_BASE, /* the ARM's RAM: its base */
    TAG_ANSWER_SIZE, /* and its size in bytes */
    BUFFER_END_TAG,
    BUFFER_WORDS,
};

#define ARM_MEMORY_ANSWER_BYTES 8u

/* In bss; only bits 31:4 of its address fit in a mailbox word. */
static uint32_t property_buffer[BUFFER_WORDS] __attribute__((aligned(16)));

/* peripheral_barrier() (rpi3.h) comes before the first mailbox access and
 * after the last. Its memory clobber also keeps the compiler from moving
 * the buffer's plain loads and stores across it, so the firmware sees the
 * whole request and the ARM reads the firmware's answer, not a stale
 * copy. */

/* Wait until the status register at `status` has `flag` clear, reading it
 * at most *polls_left times, which counts down. False if the flag is still
 * set when they run out. */
static bool mailbox_wait_clear(uintptr_t status, uint32_t flag, uint32_t *polls_left)
{
    for (; *polls_left > 0; (*polls_left)--)
        if ((mmio_read32(status) & flag) == 0)
            return true;
    return false;
}

static bool mailbox_send(uint32_t word, uint32_t *polls_left)
{
    if (!mailbox_wait_clear(MAILBOX1_STATUS, MAILBOX_STATUS_FULL, polls_left))
        return false;
    mmio_write32(MAILBOX1_WRITE, word);
    return true;
}

/* Wait for `word` to come back in mailbox 0. Words for other channels or
 * other buffers are dropped, at most a mailbox's depth of them. */
static bool mailbox_receive(uint32_t word, uint32_t *polls_left)
{
    for (uint32_t dropped = 0; dropped <= MAILBOX_DEPTH; dropped++) {
        if (!mailbox_wait_clear(MAILBOX0_STATUS, MAILBOX_STATUS_EMPTY, polls_left))
            return false;
        if (mmio_read32(MAILBOX0_READ) == word)
            return true;
    }
    return false;
}

/* Post the property buffer on the property channel and wait for the
 * firmware to hand it back, with one poll budget for the whole exchange. */
static bool property_call(void)
{
    uintptr_t address = (uintptr_t)property_buffer;
    if ((address & MAILBOX_CHANNEL_MASK) != 0 || address >= VC_BUS_RAM_SIZE)
        return false; /* cannot be named in a mailbox word */
    uint32_t word = (VC_BUS_UNCACHED_ALIAS | (uint32_t)address) | MAILBOX_CHANNEL_PROPERTY;
    uint32_t polls_left = MAILBOX_POLL_LIMIT;
    peripheral_barrier();
    bool answered = mailbox_send(word, &polls_left) && mailbox_receive(word, &polls_left);
    peripheral_barrier();
    return answered;
}

static void arm_memory_request(void)
{
    property_buffer[BUFFER_SIZE] = sizeof property_buffer;
    property_buffer[BUFFER_CODE] = PROPERTY_REQUEST;
    property_buffer[TAG_ID] = PROPERTY_TAG_GET_ARM_MEMORY;
    property_buffer[TAG_VALUE_BYTES] = ARM_MEMORY_ANSWER_BYTES;
    property_buffer[TAG_CODE] = 0;
    property_buffer[TAG_ANSWER_BASE] = 0;
    property_buffer[TAG_ANSWER_SIZE] = 0;
    property_buffer[BUFFER_END_TAG] = PROPERTY_TAG_END;
}

/* Whether the firmware processed the buffer and answered our tag in full:
 * an unknown tag comes back without its response bit. */
static bool arm_memory_answered(void)
{
    uint32_t tag_code = property_buffer[TAG_CODE];
    return property_buffer[BUFFER_CODE] == PROPERTY_SUCCESS &&
           property_buffer[TAG_ID] == PROPERTY_TAG_GET_ARM_MEMORY &&
           (tag_code & PROPERTY_TAG_RESPONSE) != 0 &&
           (tag_code & PROPERTY_TAG_LENGTH_MASK) >= ARM_MEMORY_ANSWER_BYTES;
}

bool rpi3_mailbox_arm_memory(struct rpi3_arm_memory *memory)
{
    arm_memory_request();
    if (!property_call() || !arm_memory_answered())
        return false;
    memory->base = property_buffer[TAG_ANSWER_BASE];
    memory->size = property_buffer[TAG_ANSWER_SIZE];
    return true;
}
