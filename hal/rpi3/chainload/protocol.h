/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The serial chainloading protocol, shared by the loader (loader.c, run on
 * the Pi) and the sender (vesper-send.c, run on the host). docs/chainload.md
 * describes it byte by byte:
 *
 *   loader, idle:  "vesper-chainload: ready ..." line at boot, and again
 *                  whenever it reads ENQ
 *   sender:        START (4 bytes), size (4 bytes, little-endian)
 *   loader:        ACK, or NAK and a line saying why (size 0 or too big)
 *   sender:        the image's bytes, then its CRC-32 (4 bytes, little-endian)
 *   loader:        ACK and a line, then it starts the kernel; or NAK and a
 *                  line (checksum mismatch, or no byte for
 *                  CHAINLOAD_TIMEOUT_S seconds) and it is idle again
 *
 * Everything else the loader sends is text, in lines that start with
 * CHAINLOAD_PREFIX; ACK and NAK never occur in that text.
 */
#ifndef VESPER_CHAINLOAD_PROTOCOL_H
#define VESPER_CHAINLOAD_PROTOCOL_H

#define CHAINLOAD_ENQ 0x05u /* sender: "are you there?"; idle loader: announce */
#define CHAINLOAD_ACK 0x06u /* loader: size accepted / image accepted */
#define CHAINLOAD_NAK 0x15u /* loader: refused; a line says why */

/* The start of a frame: STX, then "VK1" (Vesper kernel, protocol 1). */
#define CHAINLOAD_START_LENGTH 4u
#define CHAINLOAD_START_BYTES {0x02u, 'V', 'K', '1'}

/* Every line the loader prints starts so; the announcement starts with
 * CHAINLOAD_READY, which the sender waits for. */
#define CHAINLOAD_PREFIX "vesper-chainload: "
#define CHAINLOAD_READY CHAINLOAD_PREFIX "ready"

/* Once a frame has started, the loader gives up after this many seconds
 * without a byte, says so, and waits for a new frame. */
#define CHAINLOAD_TIMEOUT_S 3u

#endif
