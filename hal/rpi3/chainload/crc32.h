/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * CRC-32 as zlib, Ethernet and PNG compute it (reflected polynomial
 * 0xEDB88320, register started at all ones, result inverted), four bits
 * at a time from a 16-entry table: small enough for the loader, which runs
 * with its caches off, and fast enough for a byte every 87 us at 115200
 * baud. Shared by the loader and the sender so that both compute the same
 * thing; a whole image's CRC is
 *     crc32_end(crc32_update(crc32_begin(), bytes, size))
 * and equals Python's zlib.crc32(bytes).
 */
#ifndef VESPER_CHAINLOAD_CRC32_H
#define VESPER_CHAINLOAD_CRC32_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32_begin(void)
{
    return 0xFFFFFFFFu;
}

static inline uint32_t crc32_byte(uint32_t crc, uint8_t byte)
{
    /* The CRC of each 4-bit value: the table's entry n is n run through
     * the polynomial four times. */
    static const uint32_t nibble[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu,
        0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
        0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
        0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
    };
    crc ^= byte;
    crc = (crc >> 4) ^ nibble[crc & 0xFu];
    crc = (crc >> 4) ^ nibble[crc & 0xFu];
    return crc;
}

static inline uint32_t crc32_update(uint32_t crc, const uint8_t *bytes, size_t size)
{
    for (size_t i = 0; i < size; i++)
        crc = crc32_byte(crc, bytes[i]);
    return crc;
}

static inline uint32_t crc32_end(uint32_t crc)
{
    return crc ^ 0xFFFFFFFFu;
}

#endif
