/*
 * Preloaded by build/native-env.sh ahead of tcmalloc (see there): tcmalloc's heap on transparent huge pages.
 *
 * tcmalloc grows its heap with sbrk, in steps of about a megabyte, and every 4 KiB page of it costs a page fault the
 * first time it is touched. Where a fault is dear (a virtual machine whose page tables the host keeps: 10 us a
 * fault, against 0.1 us for each 4 KiB of a 2 MiB one), start-up spends most of its system time there: libtorch's
 * operator tables, the dataset and the first tensors. This sbrk, which tcmalloc calls in place of the C library's,
 * moves the real break only in whole 2 MiB blocks and marks each new block MADV_HUGEPAGE, so the kernel backs it with
 * one huge page where it can (transparent huge pages in "always" or "madvise" mode); it hands the caller exactly what
 * the caller asked for, and the rest of a block to the calls after it. Memory is the same memory: only the page size
 * changes, so a partly used block is resident whole. forwardgnn_huge_heap_end, which `train` calls once its run is
 * under way, ends the huge pages: blocks grown after it stay on 4 KiB pages, so the heap that training's own
 * tensors grow keeps its resident set to what they touch (SF-GCN L4 on Cora_ML: 257 MiB peak with huge pages
 * throughout, 239-242 MiB with start-up's alone, 221 MiB without).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

extern void *__sbrk(intptr_t increment);   /* the C library's own */

#define BLOCK ((uintptr_t)2 << 20)
#define PAGE ((uintptr_t)4 << 10)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *handed;   /* the break as callers see it: the end of what they were given */
static char *moved;    /* the real break as this function last left it; handed <= moved */
static int ended;      /* set by forwardgnn_huge_heap_end */

/* From now on, new blocks are not marked for huge pages (those marked before stay so). */
void forwardgnn_huge_heap_end(void) { __atomic_store_n(&ended, 1, __ATOMIC_RELAXED); }

void *sbrk(intptr_t increment)
{
    pthread_mutex_lock(&lock);
    char *real = __sbrk(0);
    if (handed == 0 || real != moved) handed = real;   /* the first call, or the break was moved by other code: start from it */
    char *old = handed, *wanted = old + increment, *end = real;
    if (wanted > real) {
        end = (char *)(((uintptr_t)wanted + BLOCK - 1) & ~(BLOCK - 1));
        if (__sbrk(end - real) == (void *)-1) {
            end = wanted;   /* no room for the whole block: exactly what was asked, as the C library would */
            if (__sbrk(end - real) == (void *)-1) {
                moved = real;
                pthread_mutex_unlock(&lock);
                return (void *)-1;
            }
        }
        uintptr_t from = ((uintptr_t)real + PAGE - 1) & ~(PAGE - 1);
        if ((uintptr_t)end > from && !__atomic_load_n(&ended, __ATOMIC_RELAXED)) madvise((void *)from, (uintptr_t)end - from, MADV_HUGEPAGE);   /* a hint: failure changes nothing */
    } else if (increment < 0) {
        /* memory given back: the real break follows down to the block boundary past what is still handed out */
        char *kept = (char *)(((uintptr_t)wanted + BLOCK - 1) & ~(BLOCK - 1));
        if (kept < real && __sbrk(kept - real) != (void *)-1) end = kept;
    }
    handed = wanted;
    moved = end;
    pthread_mutex_unlock(&lock);
    return old;
}
