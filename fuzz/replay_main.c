/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A plain main() for a fuzz harness: run each input file named on the
 * command line (a directory means every file in it, in name order) through
 * LLVMFuzzerTestOneInput once. This is how corpora replay as regression
 * tests, with any compiler and without libFuzzer.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_harness.h"

static int replay_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        perror(path);
        return -1;
    }
    uint8_t *data = NULL;
    size_t size = 0, capacity = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            uint8_t *grown = realloc(data, capacity);
            if (grown == NULL) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(data);
                fclose(file);
                return -1;
            }
            data = grown;
        }
        size_t n = fread(data + size, 1, capacity - size, file);
        if (n == 0)
            break;
        size += n;
    }
    fclose(file);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int compare_names(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_directory(const char *path, int *count)
{
    struct dirent **entries;
    int n = scandir(path, &entries, NULL, compare_names);
    if (n < 0) {
        perror(path);
        return -1;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        if (entries[i]->d_name[0] != '.' && status == 0) {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", path, entries[i]->d_name);
            status = replay_file(file);
            (*count)++;
        }
        free(entries[i]);
    }
    free(entries);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "Usage: %s INPUT_OR_DIRECTORY...\n", argv[0]);
        return 2;
    }
    int count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        int status = S_ISDIR(st.st_mode) ? replay_directory(argv[i], &count)
                                         : (count++, replay_file(argv[i]));
        if (status != 0)
            return 1;
    }
    printf("replayed %d input(s) without a failure\n", count);
    return count > 0 ? 0 : 1;
}
