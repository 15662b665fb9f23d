using System.Runtime.InteropServices;

namespace ForwardGnn.Distributed;

/// <summary>
/// METIS 5.1's k-way partitioner, bound to Debian's <c>libmetis.so.5</c> (package <c>libmetis5</c>, built with 32-bit
/// <c>idx_t</c> and <c>real_t</c>).
/// </summary>
internal static unsafe partial class MetisNative
{
    private const string Library = "libmetis.so.5";

    public const int Options = 40;      // METIS_NOPTIONS
    public const int OptionSeed = 8;    // METIS_OPTION_SEED
    public const int Ok = 1;            // METIS_OK

    [LibraryImport(Library)] public static partial int METIS_SetDefaultOptions(int* options);

    [LibraryImport(Library)]
    public static partial int METIS_PartGraphKway(int* vertices, int* constraints, int* rowPointer, int* adjacency, int* vertexWeights,
        int* vertexSizes, int* edgeWeights, int* parts, float* targetWeights, float* imbalance, int* options, int* edgeCut, int* part);

    /// <summary>True when <c>libmetis.so.5</c> can be loaded.</summary>
    public static bool IsAvailable() => NativeLibrary.TryLoad(Library, out _);
}
