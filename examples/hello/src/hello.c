/* The smallest Tailor app: greets, says where it runs, and exits with a code the runner can check. */
#include <stdio.h>

#ifndef EXIT_CODE
#define EXIT_CODE 0
#endif

int main(void) {
    printf("hello from tailor: %s on %s\n", tailor_target_id(), tailor_arch());
    return EXIT_CODE;
}
