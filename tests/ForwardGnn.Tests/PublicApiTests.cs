using ForwardGnn.Data;

namespace ForwardGnn.Tests;

/// <summary>
/// The library's public surface, checked in: adding, removing or renaming a public type fails here until the list
/// below is edited too, so every change of the surface is deliberate and reviewed. Kernels, readers and helpers are
/// internal (the tests and the CLI see them through InternalsVisibleTo).
/// </summary>
public class PublicApiTests
{
    /// <summary>Full names of the library's public types (nested types as Outer+Inner), sorted ordinally.</summary>
    private static readonly string[] Expected =
    [
        "ForwardGnn.Data.CsrMatrix",
        "ForwardGnn.Data.DataFormatException",
        "ForwardGnn.Data.DataRoots",
        "ForwardGnn.Data.DatasetCatalog",
        "ForwardGnn.Data.DatasetCounts",
        "ForwardGnn.Data.DatasetDownloader",
        "ForwardGnn.Data.DatasetInfo",
        "ForwardGnn.Data.DatasetLoader",
        "ForwardGnn.Data.DatasetNotFoundException",
        "ForwardGnn.Data.DownloadProgress",
        "ForwardGnn.Data.Formats.IDatasetFormat",
        "ForwardGnn.Data.GraphDataset",
        "ForwardGnn.Data.Splits.EdgeSplit",
        "ForwardGnn.Data.Splits.LinkSupervision",
        "ForwardGnn.Data.Splits.NodeSplit",
        "ForwardGnn.Data.Splits.NodeSplitFile",
        "ForwardGnn.Data.Splits.NodeSplits",
        "ForwardGnn.Data.Splits.RandomLinkSplit",
        "ForwardGnn.Data.SyntheticSbm",
        "ForwardGnn.Data.SyntheticSbm+Parameters",
        "ForwardGnn.ForwardGnnRuntime",
        "ForwardGnn.Graphs.EdgeIndex",
        "ForwardGnn.Graphs.GraphTensors",
        "ForwardGnn.Layers.GatConv",
        "ForwardGnn.Layers.GcnConv",
        "ForwardGnn.Layers.GnnKind",
        "ForwardGnn.Layers.GnnLayerType",
        "ForwardGnn.Layers.GnnLayers",
        "ForwardGnn.Layers.GraphConv",
        "ForwardGnn.Layers.SageConv",
        "ForwardGnn.Learning.ILearningAlgorithm",
        "ForwardGnn.Learning.LearningAlgorithms",
        "ForwardGnn.Learning.RunContext",
        "ForwardGnn.Models.BackpropModel",
        "ForwardGnn.Models.CascadedForwardModel",
        "ForwardGnn.Models.ConvStackModel",
        "ForwardGnn.Models.ForwardForwardInput",
        "ForwardGnn.Models.ForwardForwardModel",
        "ForwardGnn.Models.ForwardLinkModel",
        "ForwardGnn.Models.ForwardLinkTopDownModel",
        "ForwardGnn.Models.GnnModel",
        "ForwardGnn.Models.ModelCard",
        "ForwardGnn.Models.NodeEmbeddings",
        "ForwardGnn.Models.NodePredictions",
        "ForwardGnn.Models.SingleForwardModel",
        "ForwardGnn.Models.TopToInputModel",
        "ForwardGnn.Models.TopToLossModel",
        "ForwardGnn.Models.TrainedOn",
        "ForwardGnn.NativeLoadFixOutcome",
        "ForwardGnn.RuntimeSetup",
        "ForwardGnn.Training.DepthResult",
        "ForwardGnn.Training.EarlyStopping",
        "ForwardGnn.Training.ForwardOptions",
        "ForwardGnn.Training.ILayerCheckpoints",
        "ForwardGnn.Training.InvalidSettingException",
        "ForwardGnn.Training.Metrics",
        "ForwardGnn.Training.NanPolicy",
        "ForwardGnn.Training.NumericalFaultException",
        "ForwardGnn.Training.RunResult",
        "ForwardGnn.Training.StepTimings",
        "ForwardGnn.Training.Summary",
        "ForwardGnn.Training.TaskKind",
        "ForwardGnn.Training.TrainConfig",
        "ForwardGnn.Training.Trainer",
        "ForwardGnn.Training.ValidationRecord",
    ];

    /// <summary>Public types allowed in <c>ForwardGnn.Engine</c>: none; the runtime's entry point, <see cref="ForwardGnnRuntime"/>, lives in <c>ForwardGnn</c>.</summary>
    private static readonly string[] PublicEngineTypes = [];

    private static string[] PublicTypes() =>
        typeof(GraphDataset).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void PublicTypesAreTheCheckedInList()
    {
        string[] actual = PublicTypes();
        string[] added = actual.Except(Expected).ToArray(), removed = Expected.Except(actual).ToArray();
        Assert.True(added.Length == 0 && removed.Length == 0,
            $"The public surface changed. Newly public: [{string.Join(", ", added)}]; no longer public: [{string.Join(", ", removed)}]. "
            + "If intended, update PublicApiTests.Expected. Current list:\n" + string.Join("\n", actual.Select(n => $"        \"{n}\",")));
        Assert.Equal(Expected.Order(StringComparer.Ordinal), Expected);   // the checked-in list stays sorted
    }

    [Fact]
    public void NoEngineTypeIsPublic()
    {
        string[] engine = typeof(GraphDataset).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "ForwardGnn.Engine" || t.Namespace?.StartsWith("ForwardGnn.Engine.", StringComparison.Ordinal) == true)
            .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(PublicEngineTypes, engine);
    }
}
