/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Object headers (see objects.h). */
#include "domain.h"
#include "hal.h"
#include "objects.h"
#include "objecttype.h"

struct object_header *object_header_of(struct cap cap)
{
    if (!object_type_has_header(cap_type(cap)))
        return NULL;
    return object_of(cap);
}

void object_init(struct cap cap)
{
    struct object_header *header = object_header_of(cap);
    if (header != NULL)
        header->type = cap_type(cap);
}

void object_clear(struct cap cap)
{
    struct object_header *header = object_header_of(cap);
    if (header != NULL)
        header->type = 0;
}
