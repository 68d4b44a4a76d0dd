/* Standard names for the runtime API, so portable C compiles unchanged. */
#include <tailor.h>
