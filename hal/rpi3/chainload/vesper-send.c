/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * vesper-send: sends a kernel image to the chainloader (chainload.img) over
 * a serial line, then stays attached as a terminal. The protocol is in
 * protocol.h and docs/chainload.md.
 *
 * The device is a tty (a USB serial cable, a pty: raw mode and the baud
 * rate are set with termios) or a Unix socket (QEMU's -serial
 * unix:PATH,server=on), named by its path or as unix:PATH.
 *
 * Everything the device sends goes to standard output as it comes, but the
 * loader's ACK and NAK bytes; the sender's own messages and the progress
 * go to standard error.
 */
#define _DEFAULT_SOURCE /* cfmakeraw and the baud rates beyond POSIX's */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "crc32.h"
#include "protocol.h"

/* Exit statuses, as --help lists them. */
enum {
    STATUS_OK = 0,        /* the loader accepted the kernel */
    STATUS_USAGE = 1,     /* bad options or arguments */
    STATUS_IO = 2,        /* the device or the kernel file failed */
    STATUS_NO_LOADER = 3, /* no announcement or answer in time */
    STATUS_REFUSED = 4,   /* the loader refused the frame */
};

/* The terminal's quit key: Ctrl-], as telnet has it. */
#define QUIT_KEY 0x1Du
/* The first ENQ goes out after this long without an announcement, then
 * one every ENQ_INTERVAL_S: longer than the loader's own timeout, so that
 * a loader still inside a dead sender's frame times out instead of taking
 * the ENQs as the frame's bytes. */
#define FIRST_ENQ_S 0.3
#define ENQ_INTERVAL_S (CHAINLOAD_TIMEOUT_S + 2.0)
#define CHUNK 1024u

static const char usage_text[] =
    "usage: vesper-send [OPTIONS] DEVICE KERNEL.img\n"
    "\n"
    "Send KERNEL.img to Vesper's serial chainloader on DEVICE, then copy the\n"
    "device to standard output and standard input to the device until the\n"
    "device closes or the quit key (Ctrl-]) is typed.\n"
    "\n"
    "DEVICE is a serial tty (/dev/ttyUSB0: raw mode, 8N1, --baud), a pty, or a\n"
    "Unix socket given by its path or as unix:PATH (QEMU's -serial\n"
    "unix:PATH,server=on).\n"
    "\n"
    "Options:\n"
    "  --baud N        line speed of a tty (default 115200, the loader's)\n"
    "  --timeout S     seconds to wait for the device, the loader's\n"
    "                  announcement and each of its answers (default 30;\n"
    "                  0 waits for ever)\n"
    "  --no-terminal   exit once the loader has accepted the kernel\n"
    "  --corrupt       for tests: flip the bits of the image's middle byte on\n"
    "                  the way (the loader must refuse its checksum)\n"
    "  --truncate N    for tests: send only the image's first N bytes, then\n"
    "                  wait (the loader must time out)\n"
    "  --help          this text\n"
    "\n"
    "Exit status:\n"
    "  0  the loader accepted the kernel (and the terminal ended)\n"
    "  1  bad options or arguments\n"
    "  2  the device or the kernel file could not be opened, read or written,\n"
    "     or the device closed before the loader accepted the kernel\n"
    "  3  no announcement or answer from the loader within --timeout\n"
    "  4  the loader refused the kernel: too big, checksum mismatch, or it\n"
    "     timed out waiting for bytes (its message is on standard output)\n";

struct options {
    speed_t speed;
    double timeout;
    bool terminal;
    bool corrupt;
    long truncate; /* -1: the whole image */
    const char *device;
    const char *kernel;
};

static int device = -1;
static struct termios stdin_saved;
static volatile sig_atomic_t stdin_is_raw;

/* Bytes read from the device and not yet taken, and bytes to show on
 * standard output. */
static uint8_t input[CHUNK];
static size_t input_at, input_end;
static uint8_t shown[CHUNK];
static size_t shown_count;

static void restore_stdin(void)
{
    if (stdin_is_raw) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &stdin_saved);
        stdin_is_raw = 0;
    }
}

static void on_signal(int signal_number)
{
    restore_stdin();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static void fail(int status, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    fputs("vesper-send: ", stderr);
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    exit(status);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The deadline timeout seconds from now; 0 is none. */
static double deadline_after(double timeout)
{
    return timeout > 0 ? now() + timeout : 0;
}

/* Write all of bytes; false (errno set) if the file refused them. */
static bool write_all(int fd, const void *bytes, size_t size)
{
    const uint8_t *at = bytes;
    while (size > 0) {
        ssize_t written = write(fd, at, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        at += written;
        size -= (size_t)written;
    }
    return true;
}

static void send_bytes(const void *bytes, size_t size)
{
    if (!write_all(device, bytes, size))
        fail(STATUS_IO, "cannot write to the device: %s", strerror(errno));
}

static void flush_shown(void)
{
    if (shown_count > 0 && !write_all(STDOUT_FILENO, shown, shown_count))
        fail(STATUS_IO, "cannot write to standard output: %s", strerror(errno));
    shown_count = 0;
}

static void show(uint8_t byte)
{
    shown[shown_count++] = byte;
    if (shown_count == sizeof shown)
        flush_shown();
}

/* The device's next byte; -1 once deadline (0: none) passes, -2 at the
 * device's end. */
static int device_byte(double deadline)
{
    while (input_at == input_end) {
        flush_shown();
        int wait_ms = -1;
        if (deadline > 0) {
            double left = deadline - now();
            if (left <= 0)
                return -1;
            wait_ms = (int)(left * 1000.0) + 1;
        }
        struct pollfd poll_device = {.fd = device, .events = POLLIN};
        int ready = poll(&poll_device, 1, wait_ms);
        if (ready < 0 && errno != EINTR)
            fail(STATUS_IO, "cannot wait for the device: %s", strerror(errno));
        if (ready <= 0)
            continue;
        ssize_t got = read(device, input, sizeof input);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            if (errno == ECONNRESET || errno == EIO)
                return -2;
            fail(STATUS_IO, "cannot read the device: %s", strerror(errno));
        }
        if (got == 0)
            return -2;
        input_at = 0;
        input_end = (size_t)got;
    }
    return input[input_at++];
}

/* ---- Opening the device ------------------------------------------------- */

/* Between two tries to reach a device that is not there yet. */
static void retry_pause(void)
{
    nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
}

static const struct {
    long baud;
    speed_t speed;
} speeds[] = {
    {9600, B9600},       {19200, B19200},     {38400, B38400},
    {57600, B57600},     {115200, B115200},   {230400, B230400},
#ifdef B460800
    {460800, B460800},   {500000, B500000},   {576000, B576000},
    {921600, B921600},   {1000000, B1000000}, {1500000, B1500000},
    {2000000, B2000000}, {3000000, B3000000}, {4000000, B4000000},
#endif
};

static bool speed_of(long baud, speed_t *speed)
{
    for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++) {
        if (speeds[i].baud == baud) {
            *speed = speeds[i].speed;
            return true;
        }
    }
    return false;
}

/* Connect to the socket at path, retrying while it is not there yet or
 * nobody listens (an emulator starting), until timeout. */
static int open_socket(const char *path, double timeout)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path)
        fail(STATUS_USAGE, "socket path too long: %s", path);
    strcpy(address.sun_path, path);
    double deadline = deadline_after(timeout);
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            fail(STATUS_IO, "cannot make a socket: %s", strerror(errno));
        if (connect(fd, (const struct sockaddr *)&address, sizeof address) == 0)
            return fd;
        int error = errno;
        close(fd);
        if ((error != ENOENT && error != ECONNREFUSED)
            || (deadline > 0 && now() >= deadline))
            fail(STATUS_IO, "cannot connect to %s: %s", path, strerror(error));
        retry_pause();
    }
}

/* Raw mode, 8N1, no flow control, the given speed. */
static void configure_tty(int fd, const char *path, speed_t speed)
{
    struct termios settings;
    if (tcgetattr(fd, &settings) != 0)
        fail(STATUS_IO, "cannot read the settings of %s: %s", path, strerror(errno));
    cfmakeraw(&settings);
    settings.c_cflag |= CLOCAL | CREAD;
    settings.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    if (cfsetispeed(&settings, speed) != 0 || cfsetospeed(&settings, speed) != 0
        || tcsetattr(fd, TCSANOW, &settings) != 0)
        fail(STATUS_IO, "cannot set up %s: %s", path, strerror(errno));
    tcflush(fd, TCIOFLUSH);
}

static int open_device(const char *name, speed_t speed, double timeout)
{
    if (strncmp(name, "unix:", 5) == 0)
        return open_socket(name + 5, timeout);
    /* A device may appear late: a cable plugged in, an emulator starting. */
    struct stat status;
    double deadline = deadline_after(timeout);
    while (stat(name, &status) != 0 && errno == ENOENT && (deadline == 0 || now() < deadline))
        retry_pause();
    if (stat(name, &status) == 0 && S_ISSOCK(status.st_mode))
        return open_socket(name, timeout);
    int fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        fail(STATUS_IO, "cannot open %s: %s", name, strerror(errno));
    if (isatty(fd))
        configure_tty(fd, name, speed);
    return fd;
}

static uint8_t *read_kernel(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat status;
    if (fd < 0 || fstat(fd, &status) != 0)
        fail(STATUS_IO, "cannot open %s: %s", path, strerror(errno));
    if (!S_ISREG(status.st_mode))
        fail(STATUS_IO, "%s is not a file", path);
    if ((uint64_t)status.st_size > UINT32_MAX)
        fail(STATUS_IO, "%s is larger than a frame can say (4 GiB)", path);
    *size = (size_t)status.st_size;
    uint8_t *bytes = malloc(*size > 0 ? *size : 1);
    if (bytes == NULL)
        fail(STATUS_IO, "no memory for %s", path);
    for (size_t done = 0; done < *size;) {
        ssize_t got = read(fd, bytes + done, *size - done);
        if (got <= 0)
            fail(STATUS_IO, "cannot read %s: %s", path, got < 0 ? strerror(errno) : "it shrank");
        done += (size_t)got;
    }
    close(fd);
    return bytes;
}

/* ---- The protocol ------------------------------------------------------- */

/* Show the device's bytes until the loader's announcement line has come
 * whole, sending ENQ while it does not come. */
static void wait_for_loader(double timeout)
{
    static const char ready[] = CHAINLOAD_READY;
    double deadline = deadline_after(timeout);
    double next_enq = now() + FIRST_ENQ_S;
    size_t matched = 0;
    bool line_seen = false;
    for (;;) {
        double wake = deadline > 0 && deadline < next_enq ? deadline : next_enq;
        int byte = device_byte(line_seen ? deadline : wake);
        if (byte == -2)
            fail(STATUS_IO, "the device closed before the loader answered");
        if (byte == -1) {
            if (deadline > 0 && now() >= deadline)
                fail(STATUS_NO_LOADER, "no announcement from the loader in %g s", timeout);
            uint8_t enq = CHAINLOAD_ENQ;
            send_bytes(&enq, 1);
            next_enq = now() + ENQ_INTERVAL_S;
            continue;
        }
        show((uint8_t)byte);
        if (line_seen) {
            if (byte == '\n')
                return;
        } else if (byte == (uint8_t)ready[matched]) {
            line_seen = ++matched == sizeof ready - 1;
        } else {
            matched = byte == (uint8_t)ready[0] ? 1 : 0;
        }
    }
}

/* Show the device's bytes until the loader answers; exit on NAK, after
 * showing the line that says why. */
static void expect_ack(double timeout, const char *what)
{
    double deadline = deadline_after(timeout);
    for (;;) {
        int byte = device_byte(deadline);
        if (byte == -1)
            fail(STATUS_NO_LOADER, "no answer from the loader to %s in %g s", what, timeout);
        if (byte == -2)
            fail(STATUS_IO, "the device closed while waiting for the answer to %s", what);
        if (byte == CHAINLOAD_ACK)
            return;
        if (byte == CHAINLOAD_NAK)
            break;
        show((uint8_t)byte);
    }
    for (;;) {
        int byte = device_byte(deadline);
        if (byte < 0)
            break;
        show((uint8_t)byte);
        if (byte == '\n')
            break;
    }
    flush_shown();
    fail(STATUS_REFUSED, "the loader refused %s", what);
}

static void put_word(uint8_t *bytes, uint32_t word)
{
    for (unsigned i = 0; i < 4; i++)
        bytes[i] = (uint8_t)(word >> (8 * i));
}

static void show_progress(size_t sent, size_t size, bool done)
{
    unsigned percent = size > 0 ? (unsigned)((uint64_t)sent * 100u / size) : 100u;
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, "\rvesper-send: sent %zu of %zu bytes (%u%%)%s", sent, size, percent,
                done ? "\n" : "");
    } else if (done) {
        fprintf(stderr, "vesper-send: sent %zu of %zu bytes (%u%%)\n", sent, size, percent);
    }
}

static void send_kernel(const struct options *options, const uint8_t *image, size_t size)
{
    static const uint8_t start[CHAINLOAD_START_LENGTH] = CHAINLOAD_START_BYTES;
    uint8_t header[CHAINLOAD_START_LENGTH + 4];
    memcpy(header, start, sizeof start);
    put_word(header + sizeof start, (uint32_t)size);
    send_bytes(header, sizeof header);
    expect_ack(options->timeout, "the size");

    size_t limit = size;
    if (options->truncate >= 0 && (size_t)options->truncate < size)
        limit = (size_t)options->truncate;
    size_t corrupt_at = size / 2;
    uint8_t chunk[CHUNK];
    for (size_t sent = 0; sent < limit;) {
        size_t length = limit - sent < CHUNK ? limit - sent : CHUNK;
        memcpy(chunk, image + sent, length);
        if (options->corrupt && corrupt_at >= sent && corrupt_at < sent + length)
            chunk[corrupt_at - sent] ^= 0xFFu;
        send_bytes(chunk, length);
        sent += length;
        show_progress(sent, size, false);
    }
    uint8_t crc[4];
    put_word(crc, crc32_end(crc32_update(crc32_begin(), image, size)));
    if (limit == size)
        send_bytes(crc, sizeof crc);
    if (isatty(device))
        tcdrain(device);
    show_progress(limit, size, true);
    expect_ack(options->timeout, "the kernel");
}

/* ---- The terminal ------------------------------------------------------- */

static void make_stdin_raw(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &stdin_saved) != 0)
        return;
    struct termios raw = stdin_saved;
    cfmakeraw(&raw);
    /* Output processing stays: standard error's messages keep their CR. */
    raw.c_oflag = stdin_saved.c_oflag;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0) {
        stdin_is_raw = 1;
        fputs("vesper-send: attached; Ctrl-] quits\r\n", stderr);
    }
}

/* Until the device closes or the quit key: the device to standard output,
 * standard input to the device. */
static void run_terminal(void)
{
    for (size_t i = input_at; i < input_end; i++) /* read after the ACK */
        show(input[i]);
    input_at = input_end;
    flush_shown();
    make_stdin_raw();
    bool stdin_open = true;
    for (;;) {
        struct pollfd fds[2] = {
            {.fd = device, .events = POLLIN},
            {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
        };
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail(STATUS_IO, "cannot wait for input: %s", strerror(errno));
        }
        uint8_t bytes[CHUNK];
        if (fds[0].revents != 0) {
            ssize_t got = read(device, bytes, sizeof bytes);
            if (got < 0 && errno != EINTR && errno != EAGAIN) {
                if (errno == ECONNRESET || errno == EIO)
                    return;
                fail(STATUS_IO, "cannot read the device: %s", strerror(errno));
            }
            if (got == 0)
                return;
            if (got > 0 && !write_all(STDOUT_FILENO, bytes, (size_t)got))
                fail(STATUS_IO, "cannot write to standard output: %s", strerror(errno));
        }
        if (fds[1].revents != 0) {
            ssize_t got = read(STDIN_FILENO, bytes, sizeof bytes);
            if (got <= 0) {
                if (got < 0 && errno == EINTR)
                    continue;
                stdin_open = false; /* keep showing the device */
                continue;
            }
            size_t length = (size_t)got;
            const uint8_t *quit = stdin_is_raw ? memchr(bytes, QUIT_KEY, length) : NULL;
            if (quit != NULL)
                length = (size_t)(quit - bytes);
            if (!write_all(device, bytes, length)) {
                if (errno == EPIPE || errno == ECONNRESET)
                    return;
                fail(STATUS_IO, "cannot write to the device: %s", strerror(errno));
            }
            if (quit != NULL)
                return;
        }
    }
}

/* ---- Options ------------------------------------------------------------ */

static void usage_error(const char *format, const char *argument)
{
    fputs("vesper-send: ", stderr);
    fprintf(stderr, format, argument);
    fputs("\n\n", stderr);
    fputs(usage_text, stderr);
    exit(STATUS_USAGE);
}

static struct options parse_options(int argc, char **argv)
{
    enum { OPT_BAUD = 256, OPT_TIMEOUT, OPT_NO_TERMINAL, OPT_CORRUPT, OPT_TRUNCATE, OPT_HELP };
    static const struct option long_options[] = {
        {"baud", required_argument, NULL, OPT_BAUD},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"no-terminal", no_argument, NULL, OPT_NO_TERMINAL},
        {"corrupt", no_argument, NULL, OPT_CORRUPT},
        {"truncate", required_argument, NULL, OPT_TRUNCATE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct options options = {
        .speed = B115200, .timeout = 30, .terminal = true, .truncate = -1};
    for (;;) {
        int option = getopt_long(argc, argv, "", long_options, NULL);
        if (option == -1)
            break;
        char *end = NULL;
        switch (option) {
        case OPT_BAUD: {
            long baud = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || !speed_of(baud, &options.speed))
                usage_error("unsupported baud rate: %s", optarg);
            break;
        }
        case OPT_TIMEOUT:
            options.timeout = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(options.timeout >= 0))
                usage_error("bad timeout: %s", optarg);
            break;
        case OPT_NO_TERMINAL:
            options.terminal = false;
            break;
        case OPT_CORRUPT:
            options.corrupt = true;
            break;
        case OPT_TRUNCATE:
            options.truncate = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || options.truncate < 0)
                usage_error("bad byte count: %s", optarg);
            break;
        case OPT_HELP:
            fputs(usage_text, stdout);
            exit(STATUS_OK);
        default:
            usage_error("%s", "unknown option");
        }
    }
    if (argc - optind != 2)
        usage_error("%s", "expected DEVICE and KERNEL.img");
    options.device = argv[optind];
    options.kernel = argv[optind + 1];
    return options;
}

int main(int argc, char **argv)
{
    struct options options = parse_options(argc, argv);
    size_t size;
    uint8_t *image = read_kernel(options.kernel, &size);

    signal(SIGPIPE, SIG_IGN); /* a closed device is an error, not a death */
    signal(SIGHUP, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    atexit(restore_stdin);

    device = open_device(options.device, options.speed, options.timeout);
    wait_for_loader(options.timeout);
    send_kernel(&options, image, size);
    free(image);
    if (options.terminal)
        run_terminal();
    flush_shown();
    return STATUS_OK;
}
