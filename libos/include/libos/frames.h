/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A frame server: a domain that hands out 4 KiB frames, one capability per
 * Call (vesper_frames_get_granted() asks for several), carved from an
 * Untyped it holds. Clients Call its endpoint through
 * a capability with GRANT_REPLY, which lets the reply carry the frame's
 * capability into the client's receive slot (docs/ipc.md, "Capability
 * transfer"); the reply's word 0 is the frame's address, the one address
 * it has in every domain. The server keeps the parent capability of every
 * frame it hands out, so revoking its copy takes the frame back from the
 * client. A client may send a capability to its PDom with the request
 * (vesper_frame_get_granted()): the server then grants the frame to that
 * PDom, read and write, installing the PageTables it lacks, before it
 * replies; the grant is held by the server's capability, so it lasts until
 * the server ungrants or revokes it, whatever the client does with its copy.
 */
#ifndef VESPER_LIBOS_FRAMES_H
#define VESPER_LIBOS_FRAMES_H

#include <vesper/error.h>
#include <vesper/object.h>

/* The one request: a 4 KiB frame. The reply's label is VESPER_OK and its
 * word 0 the frame's address, with the capability attached; or its label
 * is the error that prevented it (VESPER_ERR_NOT_ENOUGH_MEMORY when the
 * server's slots or memory ran out), with no capability. */
#define VESPER_FRAME_SERVER_GET 1u

struct vesper_frame_server {
    vesper_cptr endpoint;   /* what clients Call (the server needs READ on it) */
    vesper_cptr reply;      /* the server's Reply object */
    vesper_cptr untyped;    /* the RAM Untyped frames are carved from */
    vesper_cptr cnode;      /* the server's CSpace root, where frames go */
    vesper_cptr next, end;  /* the empty slots of cnode it may fill, next..end-1 */
    vesper_cptr scratch;    /* an empty slot of cnode, outside next..end-1, where a
                             * client's PDom capability arrives */
};

/* Serve requests for ever; the domain running it needs an IPC buffer. Only
 * returns if receiving fails, with the error. */
enum vesper_error vesper_frame_server_run(struct vesper_frame_server *server);

/* Ask the server behind `server_ep` for a frame. Its capability goes to slot
 * `index` of the CNode `cnode` (a CPtr in the caller's CSpace, looked up at
 * depth 64), which must be empty; *address receives the frame's address.
 * The caller needs an IPC buffer, and `server_ep` needs WRITE and
 * GRANT_REPLY: without GRANT_REPLY no capability can come back and the
 * answer is VESPER_ERR_ILLEGAL_OPERATION. */
enum vesper_error vesper_frame_get(vesper_cptr server_ep, vesper_cptr cnode, vesper_word index,
                                   vesper_word *address);

/* vesper_frame_get(), and the server grants the frame to the PDom at pdom
 * (a CPtr in the caller's CSpace) with read and write before it answers.
 * `server_ep` also needs GRANT, to send the PDom capability. */
enum vesper_error vesper_frame_get_granted(vesper_cptr server_ep, vesper_cptr pdom,
                                           vesper_cptr cnode, vesper_word index,
                                           vesper_word *address);

/* count pages, one request each: vesper_frame_get_granted() into slots
 * index to index + count - 1, their addresses in addresses[0..count-1].
 * A reply carries one capability, hence one request a page; the pages
 * need not be next to each other. Stops at the first error, with the
 * pages before it kept. */
enum vesper_error vesper_frames_get_granted(vesper_cptr server_ep, vesper_cptr pdom,
                                            vesper_cptr cnode, vesper_word index,
                                            vesper_word count, vesper_word *addresses);

#endif
