using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// The ranks of an <c>mpirun</c> job (or, started without it, a job of one rank: MPI's singleton mode), over Open MPI.
/// Tensors are passed to MPI in place, by a pointer to their storage; counts are in floats.
/// </summary>
internal sealed unsafe class MpiCommunicator : ICommunicator
{
    private static readonly Lock Once = new();
    private static bool _initialized;

    /// <summary>Initialises MPI once per process (thread level MULTIPLE) and joins MPI_COMM_WORLD.</summary>
    /// <exception cref="InvalidOperationException">Open MPI is not installed.</exception>
    public MpiCommunicator()
    {
        if (!MpiNative.IsAvailable())
            throw new InvalidOperationException("Open MPI (libmpi.so.40) is not installed: apt-get install openmpi-bin (build/ensure-mpi.sh does)");
        lock (Once)
        {
            if (!_initialized)
            {
                Check(MpiNative.MPI_Initialized(out int already), "MPI_Initialized");
                if (already == 0) Check(MpiNative.MPI_Init_thread(0, 0, MpiNative.ThreadMultiple, out _), "MPI_Init_thread");
                _initialized = true;
            }
        }
        Check(MpiNative.MPI_Comm_rank(MpiNative.CommWorld, out int rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(MpiNative.CommWorld, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        _watchdog = new Timer(_ => CheckProgress(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Seconds a rank may wait inside one collective before it gives up on the others and ends the whole job
    /// (<c>$FORWARDGNN_RANK_TIMEOUT</c>, default 300): a rank that hangs, or whose host is lost without its process
    /// dying, stops every rank in bounded time instead of leaving them blocked forever.
    /// </summary>
    public static double Timeout { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("FORWARDGNN_RANK_TIMEOUT"), System.Globalization.CultureInfo.InvariantCulture, out double t) && t > 0 ? t : 300;

    private readonly Timer _watchdog;
    private long _waitingSince;   // Stopwatch timestamp when the current collective began; 0 outside collectives
    private string _waitingIn = "";

    private void CheckProgress()
    {
        long since = Interlocked.Read(ref _waitingSince);
        if (since == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(since).TotalSeconds < Timeout) return;
        Console.Error.WriteLine($"forwardgnn: error: rank {Rank} waited {Timeout:0} s in {_waitingIn} for the other ranks; stopping the job");
        MpiNative.MPI_Abort(MpiNative.CommWorld, 3);
    }

    /// <summary>Runs a collective under the watchdog (<see cref="Timeout"/>).</summary>
    private void Collective(string what, Action call)
    {
        _waitingIn = what;
        Interlocked.Exchange(ref _waitingSince, System.Diagnostics.Stopwatch.GetTimestamp());
        try
        {
            call();
        }
        finally
        {
            Interlocked.Exchange(ref _waitingSince, 0);
        }
    }

    public int Rank { get; }
    public int Size { get; }
    public CommunicationStats Stats { get; } = new();

    public void AllReduceSum(Tensor tensor, string kind)
    {
        int count = Count(tensor);
        Stats.Record(kind, Size > 1 ? 4L * count : 0, () => Collective("an all-reduce", () =>   // counted as its payload: what one rank contributes
            Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, Pointer(tensor), count, MpiNative.Float, MpiNative.Sum, MpiNative.CommWorld), "MPI_Allreduce")));
    }

    public void Broadcast(Tensor tensor, int root, string kind)
    {
        int count = Count(tensor);
        Stats.Record(kind, Rank == root ? 4L * count * (Size - 1) : 0, () => Collective("a broadcast", () =>
            Check(MpiNative.MPI_Bcast(Pointer(tensor), count, MpiNative.Float, root, MpiNative.CommWorld), "MPI_Bcast")));
    }

    public void AllToAll(Tensor send, int[] sendRows, Tensor receive, int[] receiveRows, string kind)
    {
        if (sendRows.Length != Size || receiveRows.Length != Size) throw new ArgumentException("one block per rank");
        int width = (int)(send.dim() == 2 ? send.shape[1] : receive.shape[1]);
        int[] sendCounts = sendRows.Select(r => checked(r * width)).ToArray(), receiveCounts = receiveRows.Select(r => checked(r * width)).ToArray();
        int[] sendOffsets = Offsets(sendCounts), receiveOffsets = Offsets(receiveCounts);
        long bytes = 4L * (sendCounts.Sum(c => (long)c) - sendCounts[Rank]);
        Stats.Record(kind, bytes, () => Collective("a halo exchange", () =>
        {
            fixed (int* sc = sendCounts, so = sendOffsets, rc = receiveCounts, ro = receiveOffsets)
                Check(MpiNative.MPI_Alltoallv(Pointer(send), sc, so, MpiNative.Float, Pointer(receive), rc, ro, MpiNative.Float, MpiNative.CommWorld),
                    "MPI_Alltoallv");
        }));
    }

    public void Barrier() => Collective("a barrier", () => Check(MpiNative.MPI_Barrier(MpiNative.CommWorld), "MPI_Barrier"));

    /// <summary>Ends the whole job with <paramref name="errorCode"/> on every rank (a rank that cannot go on).</summary>
    public static void Abort(int errorCode) => MpiNative.MPI_Abort(MpiNative.CommWorld, errorCode);

    /// <summary>Finalises MPI (after a barrier, so no rank leaves while another still sends): the process's last MPI call.</summary>
    public void Dispose()
    {
        MpiNative.MPI_Finalized(out int finalized);
        if (finalized != 0) return;
        Barrier();
        _watchdog.Dispose();
        MpiNative.MPI_Finalize();
    }

    private static int[] Offsets(int[] counts)
    {
        var offsets = new int[counts.Length];
        for (int i = 1; i < counts.Length; i++) offsets[i] = checked(offsets[i - 1] + counts[i - 1]);
        return offsets;
    }

    private static int Count(Tensor t) => checked((int)t.numel());

    /// <summary>The address of a contiguous float32 CPU tensor's first element (its storage, not a copy).</summary>
    private static nint Pointer(Tensor t)
    {
        if (t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException("MPI buffers are contiguous float32 CPU tensors");
        if (t.numel() == 0) return 0;
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
    }

    private static void Check(int code, string call)
    {
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error {code}");
    }
}
