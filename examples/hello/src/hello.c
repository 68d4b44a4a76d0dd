/* The smallest Tailor app: greets, says where it runs, and exits with a code the runner can check. */
#include <stdio.h>

#ifndef GREETING
#define GREETING "hello"
#endif

int main(void) {
    printf("%s: %s on %s\n", GREETING, tailor_target_id(), tailor_arch());
    return 3;
}
