/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Simulated physical memory and the memory map.
 *
 * Real hardware has RAM at fixed physical addresses and a kernel that
 * reaches it through its own mappings. Here "RAM" is one memfd mapped twice
 * into the process: at HOST_USER_BASE, where domains see the single address
 * space, and at HOST_KERNEL_WINDOW, the kernel's direct map, which is
 * always read-write. hal_kernel_view() translates between the two. The
 * windows are made once per process; a reset only zeroes the memory (or,
 * for the fuzzers, leaves it as it was: host_machine_scrub(), and the map
 * says the RAM is not zero, so the kernel zeroes it at boot). The first
 * reset needs no zeroing: a new mapping reads as zeros.
 *
 * The simulated devices' pages (devices.c) are one more memfd, mapped the
 * same two ways at HOST_DEVICE_BASE: domains reach them through the users'
 * window, as drivers reach a device's registers, and the device models
 * through the kernel's. The kernel itself never does: hal_kernel_view()
 * refuses the DEVICE region, as the core must never touch device memory.
 *
 * The boot image is the host program itself: the kernel and the root
 * domain's code and data are linked into it, as they are into kernel8.img
 * on the Pi. Its loaded range is the map's IMAGE region, where kernel and
 * user addresses coincide.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"

#if defined(__has_feature)
#if __has_feature(memory_sanitizer)
#define HOST_MSAN 1
#include <sanitizer/msan_interface.h>
#endif
#endif

/* Bounds of the loaded program, from the linker (ELF header to end of bss). */
extern const char __ehdr_start[];
extern const char _end[];

static struct hal_memory_region memory_map[3];
static size_t map_count;       /* regions in memory_map */
static size_t device_size;     /* bytes of the DEVICE region of later resets */
static bool simulated_devices; /* later resets have the simulated devices' pages */
static size_t device_mapped;   /* bytes of those pages mapped, 0 before they are */
static size_t device_backed;   /* bytes of them the current machine has */
static size_t mapped_size;     /* bytes mapped in each window, 0 before the first reset */
static size_t ram_size;        /* bytes of RAM of the current machine */
static uintptr_t root_entry;
static bool scrub = true; /* zero all of RAM at each reset */

void host_machine_scrub(bool on)
{
    scrub = on;
}

void host_machine_devices(size_t size)
{
    device_size = size;
}

void host_machine_simulated_devices(bool on)
{
    simulated_devices = on;
}

/* RAM a reset leaves as it was holds whatever the last machine wrote. Under
 * MemorySanitizer it counts as uninitialised (through the kernel's window,
 * where the kernel reads it), so a kernel read of memory it has not
 * written since boot is reported: the promise that makes skipping the
 * scrub safe is checked, not assumed. */
static void forget_ram_contents(size_t size)
{
#ifdef HOST_MSAN
    __msan_poison((void *)HOST_KERNEL_WINDOW, size);
#else
    (void)size;
#endif
}

#ifdef HOST_MSAN
/* MemorySanitizer marks a large range initialised (boot zeroing a 64 KiB
 * stack, say) by mapping fresh shadow pages, which the next reset's
 * poisoning faults in again, with a TLB flush each time. Clearing in place
 * up to 4 MiB keeps a fuzz reset cheap: 4,000 inputs of fuzz_caps took
 * 14,500 page faults instead of 78,500, in half the time. */
const char *__msan_default_options(void)
{
    return "clear_shadow_mmap_threshold=4194304";
}
#endif

static int map_window(int fd, uintptr_t address, size_t size, const char *what)
{
    void *p = mmap((void *)address, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "vesper: cannot map the %s window at %p: %s\n", what,
                (void *)address, strerror(errno));
        return -1;
    }
    if (p != (void *)address) {
        /* Not an error to mmap, so errno says nothing: Linux before 4.17
         * takes MAP_FIXED_NOREPLACE as a mere hint, and a sanitizer's mmap
         * moves a request for memory it keeps for itself. */
        munmap(p, size);
        fprintf(stderr, "vesper: cannot map the %s window at %p: the system placed it "
                "at %p instead (a sanitizer's memory, or Linux older than 4.17)\n",
                what, (void *)address, p);
        return -1;
    }
    return 0;
}

/* Make size bytes of memory (name for the system, what for messages) and
 * map them at user_address in the users' window and at the same place in
 * the kernel's. */
static int map_twice(const char *name, const char *what, uintptr_t user_address, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
        fprintf(stderr, "vesper: cannot create %zu bytes of %s: %s\n", size, what,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int status = map_window(fd, user_address, size, "user");
    if (status == 0) {
        status = map_window(fd, user_address + HAL_HOST_WINDOW_OFFSET, size, "kernel");
        if (status != 0)
            munmap((void *)user_address, size); /* so a later reset may try again */
    }
    close(fd);
    return status;
}

static int map_memory(size_t size)
{
    if (map_twice("vesper-ram", "RAM", HOST_USER_BASE, size) != 0)
        return -1;
    mapped_size = size;
    return 0;
}

#define DEVICE_PAGES_SIZE ((size_t)VESPER_HOST_DEVICE_PAGES * HAL_PAGE_SIZE)

/* The simulated devices' pages of the machine being reset: mapped the
 * first time a machine has them, zeroed at every reset that has them,
 * absent (to the models and to protection) from a machine without. */
bool host_devices_present;

static int reset_device_pages(void)
{
    device_backed = 0;
    host_devices_present = false;
    if (!simulated_devices)
        return 0;
    if (device_mapped == 0) {
        if (map_twice("vesper-devices", "device memory", HOST_DEVICE_BASE, DEVICE_PAGES_SIZE) != 0)
            return -1;
        device_mapped = DEVICE_PAGES_SIZE;
    }
    memset((void *)(HOST_DEVICE_BASE + HAL_HOST_WINDOW_OFFSET), 0, device_mapped);
    device_backed = device_mapped;
    host_devices_present = true;
    return 0;
}

/* The DEVICE region of the machine being reset: what host_machine_devices()
 * asked for, and at least the simulated devices' pages if it has them. */
static size_t device_region_size(void)
{
    if (simulated_devices && device_size < DEVICE_PAGES_SIZE)
        return DEVICE_PAGES_SIZE;
    return device_size;
}

/* Add a region to the map, keeping it sorted by base. */
static void insert_sorted(struct hal_memory_region region)
{
    size_t i = map_count++;
    for (; i > 0 && memory_map[i - 1].base > region.base; i--)
        memory_map[i] = memory_map[i - 1];
    memory_map[i] = region;
}

int host_memory_reset(size_t size, uintptr_t entry)
{
    if (size < 64 * 1024 || size > HOST_MEMORY_MAX || size % HAL_PAGE_SIZE != 0) {
        fprintf(stderr, "vesper: memory size %zu is not a page multiple between 64 KiB and 4 GiB\n", size);
        return -1;
    }
    bool fresh = mapped_size == 0; /* a new mapping reads as zeros */
    if (fresh && map_memory(size) != 0)
        return -1;
    if (size > mapped_size) {
        fprintf(stderr, "vesper: memory size %zu exceeds the %zu bytes mapped at start\n",
                size, mapped_size);
        return -1;
    }
    if (reset_device_pages() != 0)
        return -1;
    if (scrub && !fresh)
        memset((void *)HOST_KERNEL_WINDOW, 0, mapped_size);
    else if (!scrub && !fresh)
        forget_ram_contents(mapped_size);
    ram_size = size;
    root_entry = entry;
    uintptr_t image_base = (uintptr_t)__ehdr_start & ~(HAL_PAGE_SIZE - 1);
    uintptr_t image_end = ((uintptr_t)_end + HAL_PAGE_SIZE - 1) & ~(HAL_PAGE_SIZE - 1);
    struct hal_memory_region image = {
        .base = image_base, .size = image_end - image_base, .kind = HAL_REGION_IMAGE};
    struct hal_memory_region ram = {
        .base = HOST_USER_BASE, .size = size, .kind = HAL_REGION_FREE, .zeroed = scrub || fresh};
    /* The map is sorted by address; where the host loaded the program
     * decides where the image comes. The device region lies past the
     * largest RAM a machine may have; only the simulated devices' pages
     * are backed, and the kernel never reaches device memory
     * (hal_kernel_view() refuses it). */
    struct hal_memory_region device = {
        .base = HOST_DEVICE_BASE, .size = device_region_size(), .kind = HAL_REGION_DEVICE};
    map_count = 0;
    memory_map[map_count++] = ram;
    if (device.size != 0)
        memory_map[map_count++] = device;
    insert_sorted(image);
    return 0;
}

size_t host_memory_window_size(void)
{
    return mapped_size;
}

size_t host_memory_ram_size(void)
{
    return ram_size;
}

size_t host_memory_device_mapped(void)
{
    return device_mapped;
}

size_t host_memory_device_backed(void)
{
    return device_backed;
}

void *host_device_page(unsigned index)
{
    if ((size_t)index >= device_backed / HAL_PAGE_SIZE)
        return NULL;
    return (void *)(HOST_DEVICE_BASE + HAL_HOST_WINDOW_OFFSET + (uintptr_t)index * HAL_PAGE_SIZE);
}

size_t hal_memory_map(const struct hal_memory_region **regions)
{
    *regions = memory_map;
    return ram_size == 0 ? 0 : map_count;
}

static bool range_inside(uintptr_t address, size_t length,
                         uintptr_t base, size_t size)
{
    return address >= base && address - base < size && length <= size - (address - base);
}

/* A loop the compiler vectorises (16-byte stores on x86-64), kept from
 * becoming a memset call: glibc's memset clears large ranges with
 * `rep stosb`, which callgrind counts as one instruction per byte, and the
 * kernel's work between preemption points is measured in instructions
 * (docs/preemption.md). */
#if defined(__clang__)
#define NOT_A_MEMSET_CALL __attribute__((no_builtin("memset")))
#else
#define NOT_A_MEMSET_CALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

NOT_A_MEMSET_CALL void hal_memory_zero(void *view, size_t length)
{
    unsigned char *p = view;
    for (; length > 0 && (uintptr_t)p % 8 != 0; length--)
        *p++ = 0;
    uint64_t *word = (uint64_t *)(void *)p;
    for (; length >= 8; length -= 8)
        *word++ = 0;
    p = (unsigned char *)word;
    for (; length > 0; length--)
        *p++ = 0;
}

/* Byte by byte through volatile, so no memcpy call is made that the
 * sanitizer would intercept and check. */
__attribute__((no_sanitize("address"))) void hal_copy_from_view(void *dst, const void *src,
                                                                size_t length)
{
    const volatile char *from = src;
    char *to = dst;
    for (size_t i = 0; i < length; i++)
        to[i] = from[i];
}

void *hal_kernel_view(uintptr_t address, size_t length)
{
    for (size_t i = 0; i < map_count && ram_size != 0; i++) {
        const struct hal_memory_region *image = &memory_map[i];
        if (image->kind == HAL_REGION_IMAGE &&
            range_inside(address, length, image->base, image->size))
            return (void *)address;
    }
    if (!range_inside(address, length, HOST_USER_BASE, ram_size))
        return NULL;
    return (void *)(HOST_KERNEL_WINDOW + (address - HOST_USER_BASE));
}

uintptr_t hal_root_entry(void)
{
    return root_entry;
}

const char *hal_platform_name(void)
{
    return "host";
}
