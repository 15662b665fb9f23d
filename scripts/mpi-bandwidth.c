/* Times the two collectives distributed training uses, on the ranks of an mpirun job:
 *   MPI_Allreduce in place (float sum) of N floats: the per-step gradient all-reduce;
 *   MPI_Alltoallv with N floats to every other rank: a halo exchange.
 * Prints, from rank 0, the median and best seconds per operation over REPS repetitions (after 3 warm-up ones) and
 * the bandwidth of the best: all-reduce payload / time, and all-to-all bytes a rank sends / time.
 * Build and run: scripts/mpi-bandwidth.sh. It needs no MPI headers: like the tool's own binding
 * (src/ForwardGnn/Distributed/MpiNative.cs) it declares the few calls it makes, with Open MPI's handles as the
 * addresses of the globals libmpi.so.40 exports, and links that library directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *MPI_Handle;
extern char ompi_mpi_comm_world[], ompi_mpi_float[], ompi_mpi_double[], ompi_mpi_op_sum[], ompi_mpi_op_max[];
#define MPI_COMM_WORLD ((MPI_Handle)ompi_mpi_comm_world)
#define MPI_FLOAT ((MPI_Handle)ompi_mpi_float)
#define MPI_DOUBLE ((MPI_Handle)ompi_mpi_double)
#define MPI_SUM ((MPI_Handle)ompi_mpi_op_sum)
#define MPI_MAX ((MPI_Handle)ompi_mpi_op_max)
#define MPI_IN_PLACE ((void *)1)
int MPI_Init(int *argc, char ***argv);
int MPI_Finalize(void);
int MPI_Comm_rank(MPI_Handle comm, int *rank);
int MPI_Comm_size(MPI_Handle comm, int *size);
int MPI_Barrier(MPI_Handle comm);
double MPI_Wtime(void);
int MPI_Allreduce(const void *send, void *receive, int count, MPI_Handle type, MPI_Handle op, MPI_Handle comm);
int MPI_Alltoallv(const void *send, const int *sendCounts, const int *sendOffsets, MPI_Handle sendType, void *receive,
                  const int *receiveCounts, const int *receiveOffsets, MPI_Handle receiveType, MPI_Handle comm);

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, long floats, long bytes, double *seconds, int reps, int rank) {
    qsort(seconds, reps, sizeof(double), compare);
    if (rank == 0)
        printf("%-10s %10ld floats  median %9.3f ms  best %9.3f ms  %7.2f GB/s (best)\n", what, floats,
               1e3 * seconds[reps / 2], 1e3 * seconds[0], bytes / seconds[0] / 1e9);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int reps = argc > 1 ? atoi(argv[1]) : 20;
    long sizes[] = {1, 16384, 262144, 4194304, 16777216};   /* 4 B, 64 KiB, 1 MiB, 16 MiB, 64 MiB */
    double *seconds = malloc(sizeof(double) * (reps + 3));
    for (int s = 0; s < 5; s++) {
        long n = sizes[s];
        float *buffer = calloc(n, sizeof(float));
        for (int r = 0; r < reps + 3; r++) {
            MPI_Barrier(MPI_COMM_WORLD);
            double t = MPI_Wtime();
            MPI_Allreduce(MPI_IN_PLACE, buffer, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            t = MPI_Wtime() - t;
            MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);   /* the slowest rank's time */
            if (r >= 3) seconds[r - 3] = t;
        }
        report("allreduce", n, 4 * n, seconds, reps, rank);
        free(buffer);
    }
    for (int s = 1; s < 5 && size > 1; s++) {
        long n = sizes[s] / (size - 1);   /* the same bytes sent per rank at every K */
        float *send = calloc(n * size, sizeof(float)), *receive = calloc(n * size, sizeof(float));
        int *counts = malloc(sizeof(int) * size), *offsets = malloc(sizeof(int) * size);
        for (int p = 0; p < size; p++) { counts[p] = p == rank ? 0 : (int)n; offsets[p] = (int)(p * n); }
        for (int r = 0; r < reps + 3; r++) {
            MPI_Barrier(MPI_COMM_WORLD);
            double t = MPI_Wtime();
            MPI_Alltoallv(send, counts, offsets, MPI_FLOAT, receive, counts, offsets, MPI_FLOAT, MPI_COMM_WORLD);
            t = MPI_Wtime() - t;
            MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
            if (r >= 3) seconds[r - 3] = t;
        }
        report("alltoallv", n * (size - 1), 4 * n * (size - 1), seconds, reps, rank);
        free(send); free(receive); free(counts); free(offsets);
    }
    free(seconds);
    MPI_Finalize();
    return 0;
}
