/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * main() for a root-domain program of your own (libvesper-sim-main): link
 * it with a definition of vesper_main() and the program is a vesper-sim
 * whose one program is yours, with every option of vesper-sim.
 */
#include <vesper/sim.h>

int main(int argc, char **argv)
{
    static const struct vesper_sim_program yours[] = {
        {"main", vesper_main, "your program's vesper_main()", VESPER_SIM_ANY_TIME},
    };
    return vesper_sim_main(argc, argv, yours, 1);
}
