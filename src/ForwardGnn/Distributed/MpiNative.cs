using System.Runtime.InteropServices;

namespace ForwardGnn.Distributed;

/// <summary>
/// The Open MPI 4 calls distributed training uses, bound to Debian's <c>libmpi.so.40</c> (package <c>libopenmpi3</c>).
/// Handles are the addresses of the library's exported globals (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>, ...);
/// <c>MPI_IN_PLACE</c> is (void*)1. Every call returns MPI_SUCCESS (0) or aborts the job (MPI's default error handler).
/// </summary>
internal static unsafe partial class MpiNative
{
    private const string Library = "libmpi.so.40";

    public const int ThreadMultiple = 3;
    public static readonly nint InPlace = 1;

    private static readonly Lazy<nint> Handle = new(() =>
    {
        // Loaded globally so Open MPI's plugins find its symbols (cheap insurance: Debian's plugins link it themselves).
        nint handle = dlopen(Library, 0x102);   // RTLD_NOW | RTLD_GLOBAL
        return handle != 0 ? handle : NativeLibrary.Load(Library);
    });

    public static nint CommWorld => Global("ompi_mpi_comm_world");
    public static nint Float => Global("ompi_mpi_float");
    public static nint Double => Global("ompi_mpi_double");
    public static nint Sum => Global("ompi_mpi_op_sum");

    /// <summary>True when <c>libmpi.so.40</c> can be loaded.</summary>
    public static bool IsAvailable()
    {
        try
        {
            return Handle.Value != 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    private static nint Global(string name) => NativeLibrary.GetExport(Handle.Value, name);

    [LibraryImport("libdl.so.2", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string file, int mode);

    [LibraryImport(Library)] public static partial int MPI_Initialized(out int flag);
    [LibraryImport(Library)] public static partial int MPI_Finalized(out int flag);
    [LibraryImport(Library)] public static partial int MPI_Init_thread(nint argc, nint argv, int required, out int provided);
    [LibraryImport(Library)] public static partial int MPI_Finalize();
    [LibraryImport(Library)] public static partial int MPI_Comm_rank(nint comm, out int rank);
    [LibraryImport(Library)] public static partial int MPI_Comm_size(nint comm, out int size);
    [LibraryImport(Library)] public static partial int MPI_Barrier(nint comm);
    [LibraryImport(Library)] public static partial int MPI_Abort(nint comm, int errorCode);
    [LibraryImport(Library)] public static partial int MPI_Allreduce(nint send, nint receive, int count, nint type, nint op, nint comm);
    [LibraryImport(Library)] public static partial int MPI_Bcast(nint buffer, int count, nint type, int root, nint comm);
    [LibraryImport(Library)]
    public static partial int MPI_Alltoallv(nint send, int* sendCounts, int* sendOffsets, nint sendType,
        nint receive, int* receiveCounts, int* receiveOffsets, nint receiveType, nint comm);
}
