/*
 * A first-fit allocator over the build-time heap: an address-ordered free list with coalescing,
 * 16-byte aligned blocks. Small and predictable beats fast here: unikernel apps allocate little.
 */
#include "rt.h"
#include <tailor.h>

#define ALIGN 16u
#define HEADER 16u

struct block {
    size_t size; /* whole block, header included */
    struct block *next;
};

static struct block *free_list;
static size_t free_bytes;
static int ready;

static void init(void) {
    uintptr_t start = ((uintptr_t)tailor_heap + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    size_t size = (tailor_heap_bytes - (start - (uintptr_t)tailor_heap)) & ~(size_t)(ALIGN - 1);
    free_list = NULL;
    if (size >= 2 * HEADER) {
        free_list = (struct block *)start;
        free_list->size = size;
        free_list->next = NULL;
        free_bytes = size;
    }
    ready = 1;
}

void *malloc(size_t n) {
    if (!ready) {
        init();
    }
    if (n == 0) {
        n = 1;
    }
    if (n > tailor_heap_bytes) {
        return NULL;
    }
    size_t need = (n + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    struct block **link = &free_list;
    for (struct block *b = free_list; b != NULL; link = &b->next, b = b->next) {
        if (b->size < need) {
            continue;
        }
        if (b->size - need >= 2 * HEADER) {
            struct block *rest = (struct block *)((char *)b + need);
            rest->size = b->size - need;
            rest->next = b->next;
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        free_bytes -= b->size;
        b->next = (struct block *)0x7a11; /* marks an allocated block */
        return (char *)b + HEADER;
    }
    return NULL;
}

void free(void *p) {
    if (p == NULL) {
        return;
    }
    struct block *b = (struct block *)((char *)p - HEADER);
    if (b->next != (struct block *)0x7a11) {
        tailor_panic("free() of a pointer malloc() did not return: %p", p);
    }
    free_bytes += b->size;
    struct block *prev = NULL;
    struct block *cur = free_list;
    while (cur != NULL && cur < b) {
        prev = cur;
        cur = cur->next;
    }
    b->next = cur;
    if (prev == NULL) {
        free_list = b;
    } else {
        prev->next = b;
    }
    if (cur != NULL && (char *)b + b->size == (char *)cur) {
        b->size += cur->size;
        b->next = cur->next;
    }
    if (prev != NULL && (char *)prev + prev->size == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
}

void *calloc(size_t count, size_t size) {
    if (size != 0 && count > (size_t)-1 / size) {
        return NULL;
    }
    void *p = malloc(count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

void *realloc(void *p, size_t n) {
    if (p == NULL) {
        return malloc(n);
    }
    if (n == 0) {
        free(p);
        return NULL;
    }
    struct block *b = (struct block *)((char *)p - HEADER);
    size_t have = b->size - HEADER;
    if (have >= n) {
        return p;
    }
    void *q = malloc(n);
    if (q != NULL) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}

size_t tailor_heap_size(void) { return tailor_heap_bytes; }

size_t tailor_heap_free(void) {
    if (!ready) {
        init();
    }
    return free_bytes;
}
