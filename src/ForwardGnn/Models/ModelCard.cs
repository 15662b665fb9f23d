using ForwardGnn.Layers;
using ForwardGnn.Training;

namespace ForwardGnn.Models;

/// <summary>
/// What a saved model is, stored beside its weights as <c>model.json</c>: the format version, the algorithm whose
/// prediction rule it follows, the GNN and its dimensions, what it expects of its input graph, the algorithm's options,
/// and what it was trained on. A model applied to a graph with another feature count is refused.
/// </summary>
/// <param name="FormatVersion">The version of the model folder's format (<see cref="CurrentFormatVersion"/> when written).</param>
/// <param name="Algorithm">The <c>--algo</c> name of the algorithm that trained it (bp, sf, fl-ce, ...).</param>
/// <param name="Task">Node classification or link prediction.</param>
/// <param name="Gnn">The layer type of every conv.</param>
/// <param name="Layers">Number of GNN layers L.</param>
/// <param name="Hidden">Hidden width H.</param>
/// <param name="NumFeatures">Input feature count F the first layer takes.</param>
/// <param name="NumClasses">Number of classes C (node models); the label count of the training graph otherwise.</param>
public sealed record ModelCard(int FormatVersion, string Algorithm, TaskKind Task, GnnKind Gnn, int Layers, int Hidden,
    int NumFeatures, int NumClasses)
{
    /// <summary>The format this build writes and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>
    /// How input features must be prepared: <c>"row-sum"</c>, PyG's NormalizeFeatures (each row divided by its sum),
    /// which every loader of this library applies. The model's own normalisations (row L2 inside forward layers) are
    /// part of its forward pass.
    /// </summary>
    public string FeatureNormalization { get; init; } = "row-sum";

    /// <summary>The algorithm's options that its prediction rule reads (temperature τ, goodness threshold θ, ...).</summary>
    public IReadOnlyDictionary<string, double> Options { get; init; } = new Dictionary<string, double>();

    /// <summary>The dataset, split and seed it was trained on, and the test metric the run reported; null if unknown.</summary>
    public TrainedOn? TrainedOn { get; init; }

    /// <summary>The library version that wrote it.</summary>
    public string LibraryVersion { get; init; } = typeof(ModelCard).Assembly.GetName().Version?.ToString() ?? "0";
}

/// <summary>What a model was trained on, and the metric (percent) its run reported on that split's test part.</summary>
public sealed record TrainedOn(string Dataset, int Split, long Seed, string Metric, double Test, double Val);
